// An .xlsx to plain text in a document worker: sheet by sheet, each row as its cells in column order, read as a
// stream of tags under caps (parts, bytes, sheets, shared strings, cells), stopping once the text is long enough.
import { DocumentError } from '../../documentError.js';
import type { DocumentText } from '../../documentFormats.js';
import { openZip } from '../zip/openZip.js';
import { TextOut } from '../zip/textOut.js';
import { readXmlPart, relationshipsOf } from '../zip/xmlPart.js';

/** Excel writes a handful per sheet. */
export const MAX_XLSX_PARTS = 4000;
/** One part as inflated: a sheet is read from its start and stops once the text is long enough. */
export const MAX_XLSX_PART_BYTES = 16 * 1024 * 1024;
/** All parts read, as inflated. */
export const MAX_XLSX_INFLATED_BYTES = 32 * 1024 * 1024;
/** More sheets than this is no workbook a person reads: refused. */
export const MAX_XLSX_SHEETS = 200;
/** Entries of the shared strings table held at once; more is refused. */
export const MAX_SHARED_STRINGS = 200_000;
/** Characters kept of one shared string (Excel's own cell limit is 32,767). */
const MAX_STRING_CHARS = 32_767;
/** Cells read in all; past it the text stops, flagged truncated. */
export const MAX_XLSX_CELLS = 100_000;
/** Columns of a row shown; cells further right are left out, flagged truncated. */
export const MAX_XLSX_COLUMNS = 256;

interface Sheet {
  readonly name: string;
  readonly part: string;
  readonly hidden: boolean;
}

/** `AB12` → 27 (0-based column), or undefined. */
function columnOf(reference: string | undefined): number | undefined {
  const letters = /^([A-Z]{1,3})\d*$/.exec(reference ?? '')?.[1];
  if (letters === undefined) return undefined;
  let column = 0;
  for (const letter of letters) column = column * 26 + letter.charCodeAt(0) - 64;
  return column - 1;
}

const cellText = (value: string) => value.replace(/\s*[\r\n]+\s*/g, ' ').replaceAll('|', '\\|');

async function sheetsOf(zip: Awaited<ReturnType<typeof openZip>>, name: string): Promise<Sheet[]> {
  const workbook = 'xl/workbook.xml';
  const relations = await relationshipsOf(zip, workbook);
  const sheets: Sheet[] = [];
  const found = await readXmlPart(zip, workbook, {
    open: (tag, attributes) => {
      if (tag !== 'sheet') return;
      if (sheets.length >= MAX_XLSX_SHEETS) throw new DocumentError('too_large', `${name} has more than ${MAX_XLSX_SHEETS} sheets; its text is not extracted`);
      const id = attributes['r:id'] ?? Object.entries(attributes).find(([key]) => key.endsWith(':id'))?.[1];
      const part = id === undefined ? undefined : relations.get(id)?.target;
      if (part !== undefined) sheets.push({ name: attributes['name'] ?? `Sheet ${sheets.length + 1}`, part, hidden: attributes['state'] === 'hidden' || attributes['state'] === 'veryHidden' });
    },
  });
  if (!found) throw new DocumentError('unreadable', `${name} is not a valid .xlsx file`);
  return sheets;
}

async function sharedStringsOf(zip: Awaited<ReturnType<typeof openZip>>, name: string): Promise<string[]> {
  const strings: string[] = [];
  let current: string | undefined;
  let inText = false;
  // Phonetic runs (furigana) repeat the text above them.
  let inPhonetic = false;
  await readXmlPart(zip, 'xl/sharedStrings.xml', {
    open: (tag) => {
      if (tag === 'si') {
        if (strings.length >= MAX_SHARED_STRINGS) throw new DocumentError('too_large', `${name} has more than ${MAX_SHARED_STRINGS} shared strings; its text is not extracted`);
        current = '';
      } else if (tag === 't') inText = true;
      else if (tag === 'rPh') inPhonetic = true;
    },
    text: (text) => {
      if (current !== undefined && inText && !inPhonetic && current.length < MAX_STRING_CHARS) current = (current + text).slice(0, MAX_STRING_CHARS);
    },
    close: (tag) => {
      if (tag === 't') inText = false;
      else if (tag === 'rPh') inPhonetic = false;
      else if (tag === 'si' && current !== undefined) {
        strings.push(current);
        current = undefined;
      }
    },
  });
  return strings;
}

/** Throws `DocumentError` `unreadable` for a damaged .xlsx, `too_large` past a cap. */
export async function xlsxText(content: Uint8Array, name: string, maxChars: number): Promise<DocumentText> {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const zip = await openZip(bytes, name, '.xlsx', { maxEntries: MAX_XLSX_PARTS, maxPartBytes: MAX_XLSX_PART_BYTES, maxTotalBytes: MAX_XLSX_INFLATED_BYTES });
  try {
    const sheets = await sheetsOf(zip, name);
    const strings = await sharedStringsOf(zip, name);
    const out = new TextOut(maxChars);
    let cells = 0;
    const enough = () => out.full() || cells > MAX_XLSX_CELLS;
    for (const sheet of sheets) {
      if (enough()) break;
      out.line(`## ${sheet.name}${sheet.hidden ? ' (hidden sheet)' : ''}`);
      let row: string[] = [];
      let rowNumber = 0;
      let cell: { column: number; type: string; value: string } | undefined;
      let inValue = false;
      await readXmlPart(zip, sheet.part, {
        open: (tag, attributes) => {
          if (tag === 'row') {
            rowNumber = Number(attributes['r']) || rowNumber + 1;
            row = [];
          } else if (tag === 'c') {
            cells++;
            cell = { column: columnOf(attributes['r']) ?? row.length, type: attributes['t'] ?? 'n', value: '' };
          } else if (tag === 'v' || tag === 't') inValue = cell !== undefined;
        },
        text: (text) => {
          if (inValue && cell !== undefined && cell.value.length < MAX_STRING_CHARS) cell.value += text;
        },
        close: (tag) => {
          if (tag === 'v' || tag === 't') inValue = false;
          else if (tag === 'c' && cell !== undefined) {
            const { column, type, value } = cell;
            cell = undefined;
            const shown = type === 's' ? strings[Number(value)] ?? '' : type === 'b' ? (value === '1' ? 'TRUE' : 'FALSE') : value;
            if (shown === '') return;
            if (column >= MAX_XLSX_COLUMNS) {
              out.cut = true;
              return;
            }
            while (row.length < column) row.push('');
            row[column] = cellText(shown);
          } else if (tag === 'row') {
            if (row.length > 0) out.line(`${rowNumber}: ${row.join(' | ')}`);
            row = [];
          }
        },
      }, enough);
    }
    if (cells > MAX_XLSX_CELLS) out.cut = true;
    return out.done();
  } finally {
    zip.close();
  }
}
