// Reads an element's inline `style` attribute into its declarations, as a browser would resolve them.

/** Declarations by property name, lower-cased, `!important` removed; the one that wins when a name repeats. */
export type Declarations = ReadonlyMap<string, string>;

const NONE: Declarations = new Map();

/** Longer style attributes are read up to here: no page needs more, and a hostile one must not cost more. */
const MAX_STYLE_CHARS = 4_096;

/**
 * The declarations of `style`: comments dropped, later ones winning unless an earlier one is `!important`
 * and the later one not. Values are lower-cased and trimmed.
 */
export function parseInlineStyle(style: string | undefined): Declarations {
  if (style === undefined || style === '') return NONE;
  const declarations = new Map<string, string>();
  const important = new Set<string>();
  const text = style.slice(0, MAX_STYLE_CHARS).replace(/\/\*[\s\S]*?\*\//g, ' ');
  for (const declaration of text.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon <= 0) continue;
    const name = declaration.slice(0, colon).trim().toLowerCase();
    let value = declaration.slice(colon + 1).trim().toLowerCase();
    const isImportant = /!\s*important$/.test(value);
    if (isImportant) value = value.replace(/!\s*important$/, '').trim();
    if (name === '' || value === '') continue;
    if (important.has(name) && !isImportant) continue;
    if (isImportant) important.add(name);
    declarations.set(name, value);
  }
  return declarations;
}

/** A CSS length or number: its value and unit (`''` for a bare number), or undefined when it is neither. */
export function parseLength(value: string | undefined): { value: number; unit: string } | undefined {
  const match = /^(-?(?:\d+\.?\d*|\.\d+))([a-z%]*)$/.exec(value?.trim() ?? '');
  if (match === null) return undefined;
  return { value: Number(match[1]), unit: match[2] ?? '' };
}
