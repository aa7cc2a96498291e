// The formats a document conversion understands, what is asked and answered, and the caps a format's input is
// held to before any of it is converted.
import { DocumentError } from './documentError.js';

export const DOCUMENT_FORMATS = ['html', 'docx', 'xlsx', 'pptx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export interface DocumentInput {
  readonly format: DocumentFormat;
  /** The document: bytes as downloaded, or (HTML from a JSON field) a string. */
  readonly content: string | Uint8Array;
  /** How errors name it: a file name, "the page". */
  readonly name: string;
  /** Characters of text wanted; the rest is cut and flagged. */
  readonly maxChars: number;
}

export interface DocumentText {
  readonly text: string;
  /** True when the text was cut at `maxChars`, or the input at its format's cap. */
  readonly truncated: boolean;
  /** The document's own title, when the format has one (HTML `<title>`). */
  readonly title?: string | undefined;
}

/** What each format's input may be before conversion; a new format adds its line here and its converter in formats/. */
interface InputCap {
  /** Bytes (characters, for a string) converted at most, given the characters of text wanted. */
  readonly maxInput: (maxChars: number) => number;
  /** Past the cap: `cut` when any prefix is still the format (HTML), `refuse` when a cut one would be damaged (a zip). */
  readonly past: 'cut' | 'refuse';
}

/** HTML never needs more than 2 MiB to yield 64,000 characters: markup-heavy pages run at 10-20 bytes of markup per character of text. */
export const MAX_HTML_INPUT = 2 * 1024 * 1024;
/** Markup per character of text allowed for shorter fields (a 2,000-character note reads at most 64 KiB of HTML). */
const HTML_INPUT_PER_CHAR = 32;
/** A .docx is a zip: read_file's download cap. What it unpacks to is capped while unpacking (formats/docx). */
export const MAX_DOCX_INPUT = 4 * 1024 * 1024;
/** .xlsx, .pptx and PDF: the same download cap; what they unpack to, their sheets, slides and pages are capped in formats/. */
export const MAX_OFFICE_INPUT = 4 * 1024 * 1024;

const INPUT_CAPS: Readonly<Record<DocumentFormat, InputCap>> = {
  html: { maxInput: (maxChars) => Math.min(MAX_HTML_INPUT, maxChars * HTML_INPUT_PER_CHAR), past: 'cut' },
  docx: { maxInput: () => MAX_DOCX_INPUT, past: 'refuse' },
  xlsx: { maxInput: () => MAX_OFFICE_INPUT, past: 'refuse' },
  pptx: { maxInput: () => MAX_OFFICE_INPUT, past: 'refuse' },
  pdf: { maxInput: () => MAX_OFFICE_INPUT, past: 'refuse' },
};

export interface BoundedInput {
  readonly content: string | Uint8Array;
  /** The input was cut at its format's cap: whatever the conversion yields, the text is flagged truncated. */
  readonly cut: boolean;
}

/** `input`'s content held to its format's cap. Throws `DocumentError` `too_large` for a format that cannot be cut. */
export function boundInput(input: DocumentInput): BoundedInput {
  const cap = INPUT_CAPS[input.format];
  const max = cap.maxInput(input.maxChars);
  const size = typeof input.content === 'string' ? input.content.length : input.content.byteLength;
  if (size <= max) return { content: input.content, cut: false };
  if (cap.past === 'refuse') throw new DocumentError('too_large', `${input.name} is more than ${max} bytes; it is not converted`);
  if (typeof input.content !== 'string') return { content: input.content.subarray(0, max), cut: true };
  // Not between the halves of a surrogate pair.
  const code = input.content.charCodeAt(max - 1);
  return { content: input.content.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max), cut: true };
}
