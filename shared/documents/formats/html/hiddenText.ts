// What inline styles and attributes hide from a person looking at a page: the converter leaves it out, so a page
// author cannot hand a model instructions nobody sees. Stylesheets and classes are not read (see the README).
import { backgroundColor, indistinguishable, parseColor, type Rgba } from './cssColor.js';
import { parseLength, type Declarations } from './inlineStyle.js';

/** Text colour and the background behind it, as far as inline styles and attributes tell. */
export interface Paint {
  /** Set inline on the element or an ancestor; undefined: the reader's default, which is visible. */
  readonly color: Rgba | undefined;
  /** Undefined when it cannot be known from inline styles (a class, an image, a stylesheet may paint it). */
  readonly background: Rgba | undefined;
}

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
/** Outlook, OneNote, Teams (light) and browsers show a page on white unless it says otherwise. */
export const PAGE_PAINT: Paint = { color: undefined, background: WHITE };
/** A page with a stylesheet: the background is whatever it says. */
export const STYLED_PAGE_PAINT: Paint = { color: undefined, background: undefined };

const isZero = (value: string | undefined) => {
  const length = parseLength(value);
  return length !== undefined && length.value <= 0;
};

/** A font size nobody can read: zero, or a few pixels. */
function tinyFont(value: string | undefined): boolean {
  const length = parseLength(value);
  if (length === undefined) return false;
  if (length.value <= 0) return true;
  switch (length.unit) {
    case 'px': return length.value < 3;
    case 'pt': return length.value < 2.25;
    case 'em': case 'rem': return length.value < 0.2;
    case '%': return length.value < 20;
    default: return false;
  }
}

/** Moved a long way off the page, as "visually hidden" tricks do. */
const offPage = (value: string | undefined) => {
  const length = parseLength(value);
  return length !== undefined && length.value <= -999;
};

/** `clip: rect(top, right, bottom, left)` that leaves at most a pixel to see. */
function clippedAway(value: string | undefined): boolean {
  const inside = /^rect\(([^()]{0,100})\)$/.exec(value ?? '')?.[1];
  if (inside === undefined) return false;
  const sides = inside.split(/[\s,]+/).filter((side) => side !== '').map(parseLength);
  if (sides.length !== 4 || sides.some((side) => side === undefined || (side.unit !== '' && side.unit !== 'px'))) return false;
  const [top, right, bottom, left] = sides.map((side) => side?.value ?? 0) as [number, number, number, number];
  return bottom - top <= 1 || right - left <= 1;
}

/** True when the element's own inline style (or its `hidden` attribute) keeps it and everything in it from view. */
export function hiddenByStyle(style: Declarations): boolean {
  const get = (name: string) => style.get(name);
  if (get('display') === 'none') return true;
  if (get('visibility') === 'hidden' || get('visibility') === 'collapse') return true;
  const opacity = get('opacity');
  if (opacity !== undefined) {
    const value = Number.parseFloat(opacity);
    if (Number.isFinite(value) && (opacity.endsWith('%') ? value / 100 : value) <= 0.05) return true;
  }
  if (tinyFont(get('font-size'))) return true;
  const overflow = [get('overflow'), get('overflow-x'), get('overflow-y')].some((value) => value === 'hidden' || value === 'clip');
  if (overflow && ['width', 'height', 'max-width', 'max-height'].some((name) => isZero(get(name)))) return true;
  const positioned = get('position') === 'absolute' || get('position') === 'fixed';
  if (positioned && ['left', 'top', 'right', 'bottom'].some((name) => offPage(get(name)))) return true;
  if (positioned && clippedAway(get('clip'))) return true;
  if (/^inset\(\s*(?:50|[5-9]\d|100)%\s*\)$/.test(get('clip-path') ?? '')) return true;
  if (/^scale[xy]?\(\s*0(?:\.0+)?\s*(?:,\s*[\d.]+\s*)?\)$/.test(get('transform') ?? '')) return true;
  if (offPage(get('text-indent'))) return true;
  return false;
}

function over(top: Rgba, below: Rgba): Rgba {
  const mix = (upper: number, lower: number) => upper * top.a + lower * (1 - top.a);
  return { r: mix(top.r, below.r), g: mix(top.g, below.g), b: mix(top.b, below.b), a: 1 };
}

/** Attributes of an element that paint it (old HTML: `bgcolor`, `<font color>`, `background` images). */
export interface PaintAttributes {
  readonly bgcolor?: string | undefined;
  readonly color?: string | undefined;
  readonly background?: string | undefined;
  readonly class?: string | undefined;
}

/** The paint inside an element, from its parent's, its inline style and its attributes. */
export function paintOf(parent: Paint, style: Declarations, attributes: PaintAttributes): Paint {
  const color = parseColor(style.get('color')) ?? parseColor(attributes.color) ?? parent.color;
  const shorthand = style.get('background');
  const image = (style.get('background-image') ?? 'none') !== 'none' || /url\(|gradient\(/.test(shorthand ?? '') || attributes.background !== undefined;
  const own = parseColor(style.get('background-color')) ?? backgroundColor(shorthand) ?? parseColor(attributes.bgcolor);
  let background: Rgba | undefined;
  if (image) background = undefined;
  else if (own !== undefined) background = own.a >= 1 ? own : parent.background === undefined ? undefined : over(own, parent.background);
  // A class may give it a background from a stylesheet this converter does not read.
  else if (attributes.class !== undefined && attributes.class.trim() !== '') background = undefined;
  else background = parent.background;
  return color === parent.color && background === parent.background ? parent : { color, background };
}

/** True when text in this paint cannot be seen: a transparent colour, or the colour of its background. */
export function textHidden(paint: Paint): boolean {
  const { color, background } = paint;
  if (color === undefined) return false;
  if (color.a <= 0.1) return true;
  if (background === undefined) return false;
  return indistinguishable(color.a >= 1 ? color : over(color, background), background);
}
