// Parses the CSS colours an inline style or a `bgcolor`/`color` attribute can hold, to compare text with its background.

export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  /** 0 (transparent) to 1. */
  readonly a: number;
}

// The named colours near white or black, where hidden text lives, and the basic ones. Others are not
// compared (the text stays), which the README says.
const NAMED: Readonly<Record<string, string>> = {
  white: 'ffffff', snow: 'fffafa', ivory: 'fffff0', ghostwhite: 'f8f8ff', whitesmoke: 'f5f5f5', floralwhite: 'fffaf0',
  seashell: 'fff5ee', linen: 'faf0e6', oldlace: 'fdf5e6', mintcream: 'f5fffa', azure: 'f0ffff', aliceblue: 'f0f8ff',
  honeydew: 'f0fff0', lavenderblush: 'fff0f5', cornsilk: 'fff8dc', lightyellow: 'ffffe0', beige: 'f5f5dc',
  gainsboro: 'dcdcdc', lightgray: 'd3d3d3', lightgrey: 'd3d3d3', silver: 'c0c0c0', darkgray: 'a9a9a9', darkgrey: 'a9a9a9',
  gray: '808080', grey: '808080', dimgray: '696969', dimgrey: '696969', black: '000000',
  red: 'ff0000', maroon: '800000', yellow: 'ffff00', olive: '808000', lime: '00ff00', green: '008000', aqua: '00ffff',
  cyan: '00ffff', teal: '008080', blue: '0000ff', navy: '000080', fuchsia: 'ff00ff', magenta: 'ff00ff', purple: '800080',
  orange: 'ffa500',
};

function fromHex(hex: string): Rgba | undefined {
  const digits = hex.length === 3 || hex.length === 4 ? [...hex].map((digit) => digit + digit).join('') : hex;
  if (!/^[0-9a-f]{6}([0-9a-f]{2})?$/.test(digits)) return undefined;
  const channel = (index: number) => parseInt(digits.slice(index, index + 2), 16);
  return { r: channel(0), g: channel(2), b: channel(4), a: digits.length === 8 ? channel(6) / 255 : 1 };
}

/** A channel of rgb(): a number 0-255 or a percentage. */
function channel(value: string): number | undefined {
  const number = Number.parseFloat(value);
  if (!Number.isFinite(number)) return undefined;
  return Math.min(255, Math.max(0, value.endsWith('%') ? (number * 255) / 100 : number));
}

function alpha(value: string | undefined): number | undefined {
  if (value === undefined) return 1;
  const number = Number.parseFloat(value);
  if (!Number.isFinite(number)) return undefined;
  return Math.min(1, Math.max(0, value.endsWith('%') ? number / 100 : number));
}

function fromHsl(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

/** The colour `value` names (hex, rgb(), rgba(), hsl(), hsla(), `transparent`, a listed name), or undefined. */
export function parseColor(value: string | undefined): Rgba | undefined {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  if (text.startsWith('#')) return fromHex(text.slice(1));
  const named = NAMED[text];
  if (named !== undefined) return fromHex(named);
  // Bare hex, as old `bgcolor` attributes write it.
  if (/^[0-9a-f]{6}$/.test(text)) return fromHex(text);
  const call = /^(rgba?|hsla?)\(([^()]{1,100})\)$/.exec(text);
  if (call === null) return undefined;
  const parts = (call[2] ?? '').split(/[\s,/]+/).filter((part) => part !== '');
  if (parts.length < 3 || parts.length > 4) return undefined;
  const a = alpha(parts[3]);
  if (a === undefined) return undefined;
  if (call[1]?.startsWith('rgb') === true) {
    const [r, g, b] = parts.slice(0, 3).map(channel);
    if (r === undefined || g === undefined || b === undefined) return undefined;
    return { r, g, b, a };
  }
  const [h, s, l] = [Number.parseFloat(parts[0] ?? ''), Number.parseFloat(parts[1] ?? '') / 100, Number.parseFloat(parts[2] ?? '') / 100];
  if (![h, s, l].every(Number.isFinite)) return undefined;
  const [r, g, b] = fromHsl(((h % 360) + 360) % 360, Math.min(1, Math.max(0, s)), Math.min(1, Math.max(0, l)));
  return { r, g, b, a };
}

/** The colour in a `background` shorthand (`#fff url(x.png) no-repeat`), or undefined. */
export function backgroundColor(shorthand: string | undefined): Rgba | undefined {
  if (shorthand === undefined) return undefined;
  // Functions first (rgb(…) holds spaces), then each word.
  const tokens = shorthand.match(/[a-z]+\([^()]{0,100}\)|[^\s()]+/g) ?? [];
  for (const token of tokens) {
    const color = parseColor(token);
    if (color !== undefined) return color;
  }
  return undefined;
}

/** Opaque colours too close to tell apart on a screen: text in one on the other cannot be read. */
export function indistinguishable(text: Rgba, background: Rgba): boolean {
  return Math.max(Math.abs(text.r - background.r), Math.abs(text.g - background.g), Math.abs(text.b - background.b)) <= 16;
}
