// The formatters that keep hidden text out of a conversion: a gate on every element whose attributes can hide or
// paint it, and guards on the two formatters that write text past html-to-text's word transforms (`pre`, links).
import type { DomNode, FormatCallback, RecursiveCallback, SelectorDefinition } from 'html-to-text';
import { hiddenByStyle, PAGE_PAINT, paintOf, STYLED_PAGE_PAINT, textHidden, type Paint, type PaintAttributes } from './hiddenText.js';
import { parseInlineStyle } from './inlineStyle.js';

/** Elements with any of these attributes pass the gate: they can hide an element or paint its text. */
export const GATED_ATTRIBUTES = ['style', 'hidden', 'bgcolor', 'class', 'color', 'background'] as const;

type Attributes = PaintAttributes & { readonly style?: string; readonly hidden?: string };

const attributesOf = (elem: DomNode) => (elem.attribs ?? {}) as Attributes;

/** True when the element's `hidden` attribute or inline style keeps it from view. */
export function isHiddenElement(elem: DomNode): boolean {
  const attributes = attributesOf(elem);
  return attributes.hidden !== undefined || (attributes.style !== undefined && hiddenByStyle(parseInlineStyle(attributes.style)));
}

// One conversion at a time runs in a worker, synchronously: its paint is module state, reset per conversion.
let paint: Paint = PAGE_PAINT;
let blanking = false;
let inPre = false;

/** Called before each conversion: a page with its own stylesheet may paint any background. */
export function resetVisibility(html: string): void {
  paint = /<(?:style|link)\b/i.test(html) ? STYLED_PAGE_PAINT : PAGE_PAINT;
  blanking = false;
  inPre = false;
}

type BlockTextBuilder = Parameters<FormatCallback>[2];

const blankUnseen = (word: string) => (textHidden(paint) ? '' : word);

const definitions = new WeakMap<object, Map<string, SelectorDefinition>>();

/** The formatter and options the element's tag has (its gate aside): the selectors are tag names and `*`. */
function delegate(elem: DomNode, walk: RecursiveCallback, builder: BlockTextBuilder): void {
  const options = builder.options as BlockTextBuilder['options'] & { readonly selectors: readonly SelectorDefinition[] };
  let byTag = definitions.get(options);
  if (byTag === undefined) {
    byTag = new Map(options.selectors.map((definition: SelectorDefinition) => [definition.selector, definition]));
    definitions.set(options, byTag);
  }
  const definition = byTag.get(elem.name ?? '') ?? byTag.get('*');
  const format = options.formatters[definition?.format ?? 'inline'];
  format?.(elem, walk, builder, (definition?.options ?? {}));
}

/**
 * Leaves out an element its `hidden` attribute or inline style hides; otherwise formats it as its tag would be,
 * with the words of text whose colour matches its background (as inline styles tell) blanked.
 */
export const visibleOnly: FormatCallback = (elem, walk, builder) => {
  const attributes = attributesOf(elem);
  if (attributes.hidden !== undefined) return;
  const style = parseInlineStyle(attributes.style);
  if (hiddenByStyle(style)) return;
  const outer = paint;
  paint = paintOf(outer, style, attributes);
  // Text in a `pre` block bypasses word transforms: what turns unseen there is left out whole.
  if (inPre && textHidden(paint)) {
    paint = outer;
    return;
  }
  // One transform on the builder's stack does for every element inside: it reads the paint of the moment.
  const blank = !blanking && textHidden(paint);
  if (blank) {
    builder.pushWordTransform(blankUnseen);
    blanking = true;
  }
  try {
    delegate(elem, walk, builder);
  } finally {
    if (blank) {
      builder.popWordTransform();
      blanking = false;
    }
    paint = outer;
  }
};

/** `pre`: left out when its text cannot be seen, since its text is written past word transforms. */
export const visiblePre: FormatCallback = (elem, walk, builder, options) => {
  if (textHidden(paint)) return;
  const outer = inPre;
  inPre = true;
  try {
    builder.options.formatters['pre']?.(elem, walk, builder, options);
  } finally {
    inPre = outer;
  }
};

/** Links: an unseen link's address is not written either (html-to-text writes it past word transforms). */
export const visibleAnchor: FormatCallback = (elem, walk, builder, options) => {
  if (textHidden(paint)) return;
  builder.options.formatters['anchor']?.(elem, walk, builder, options);
};
