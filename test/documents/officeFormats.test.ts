// .xlsx, .pptx and PDF through the bounded document contract: text as a reader wants it, and for each format a bomb
// refused by the worker's own caps with its specific code (a worker with a small heap shows memory stays bounded).
import { deflateRawSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../../shared/documents/documentError.js';
import { createDocuments } from '../../shared/documents/documents.js';
import type { DocumentFormat } from '../../shared/documents/documentFormats.js';
import { MAX_PDF_INFLATED_BYTES } from '../../shared/documents/formats/pdf/boundPdfStreams.js';
import { MAX_PDF_PAGES } from '../../shared/documents/formats/pdf/pdfText.js';
import { MAX_PPTX_PARTS, MAX_PPTX_SLIDES } from '../../shared/documents/formats/pptx/pptxText.js';
import { MAX_SHARED_STRINGS, MAX_XLSX_CELLS, MAX_XLSX_PART_BYTES, MAX_XLSX_SHEETS } from '../../shared/documents/formats/xlsx/xlsxText.js';
import { buildPdf, buildPptx, buildXlsx, pptxParts, xlsxParts, zipParts } from '../../sandbox/graph/officeFiles.js';
import { deflatedZeros, zipOf, type ZipPart } from '../tools/files/zipBombs.js';

// A heap far below the default 256 MB: a bomb that got past the caps would run it out (too_complex), not the caps' code.
const documents = createDocuments({ heapMb: 64, idleMs: 1_000 });
const signal = new AbortController().signal;
const convert = (format: DocumentFormat, content: Buffer, maxChars = 64_000) => documents.convert({ format, content, name: `test.${format}`, maxChars }, signal);

async function codeOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DocumentError);
  return (error as DocumentError).code;
}

/** `parts` as a zip whose parts are stored, with `replace` swapped in by name. */
function zipWith(parts: ReadonlyMap<string, string>, replace: readonly ZipPart[]): Buffer {
  const stored: ZipPart[] = [...parts].filter(([name]) => !replace.some((part) => part.name === name))
    .map(([name, content]) => ({ name, data: Buffer.from(content), method: 0, declaredSize: Buffer.byteLength(content) }));
  return zipOf([...stored, ...replace]);
}

describe('.xlsx', () => {
  it('reads sheet by sheet, each row as its cells in column order, shared strings, numbers and booleans', async () => {
    const workbook = await buildXlsx([
      { name: 'Budget', rows: [['Item', 'Q3', 'Approved'], ['Stores | fit-out', 1200.5, true], ['Ads', '', false]] },
      { name: 'Notes', rows: [['Line one\nline two']] },
      { name: 'Scratch', rows: [['left over']], hidden: true },
    ]);
    const { text, truncated } = await convert('xlsx', workbook);
    expect(truncated).toBe(false);
    expect(text).toBe([
      '## Budget', '1: Item | Q3 | Approved', '2: Stores \\| fit-out | 1200.5 | TRUE', '3: Ads |  | FALSE',
      '## Notes', '1: Line one line two',
      '## Scratch (hidden sheet)', '1: left over',
    ].join('\n'));
  });

  it('stops at the character cap, flagged truncated, without reading the rest', async () => {
    const rows = Array.from({ length: 5_000 }, (_, index) => [`row ${index}`, index]);
    const { text, truncated } = await convert('xlsx', await buildXlsx([{ name: 'Long', rows }]), 1_000);
    expect(truncated).toBe(true);
    expect(text.length).toBeLessThanOrEqual(1_000);
  });

  it(`stops after ${MAX_XLSX_CELLS} cells, flagged truncated`, async () => {
    const rows = Array.from({ length: MAX_XLSX_CELLS / 10 + 10 }, () => Array<number>(10).fill(1));
    const { truncated } = await convert('xlsx', await buildXlsx([{ name: 'Many', rows }]), 10_000_000);
    expect(truncated).toBe(true);
  });

  it('refuses a sheet that inflates past its cap (a zip bomb): too_large', async () => {
    const parts = xlsxParts([{ name: 'Bomb', rows: [['x']] }]);
    const bomb = zipWith(parts, [{ name: 'xl/worksheets/sheet1.xml', data: deflatedZeros(MAX_XLSX_PART_BYTES / (1024 * 1024) + 64), method: 8, declaredSize: 1000 }]);
    expect(await codeOf(convert('xlsx', bomb))).toBe('too_large');
  });

  it('refuses a shared strings table that inflates past its cap: too_large', async () => {
    const parts = xlsxParts([{ name: 'S', rows: [['x']] }]);
    const bomb = zipWith(parts, [{ name: 'xl/sharedStrings.xml', data: deflatedZeros(1024), method: 8, declaredSize: 1000 }]);
    expect(await codeOf(convert('xlsx', bomb))).toBe('too_large');
  });

  it(`refuses more than ${MAX_SHARED_STRINGS} shared strings, each tiny: too_large`, async () => {
    const parts = xlsxParts([{ name: 'S', rows: [['x']] }]);
    const table = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>a</t></si>'.repeat(MAX_SHARED_STRINGS + 1)}</sst>`;
    const bomb = zipWith(parts, [{ name: 'xl/sharedStrings.xml', data: deflateRawSync(table), method: 8, declaredSize: table.length }]);
    expect(await codeOf(convert('xlsx', bomb))).toBe('too_large');
  });

  it(`refuses more than ${MAX_XLSX_SHEETS} sheets: too_large`, async () => {
    const sheets = Array.from({ length: MAX_XLSX_SHEETS + 1 }, (_, index) => ({ name: `S${index}`, rows: [[index]] }));
    expect(await codeOf(convert('xlsx', await buildXlsx(sheets)))).toBe('too_large');
  });

  it('answers unreadable for a zip that is no workbook, and for bytes that are no zip', async () => {
    expect(await codeOf(convert('xlsx', await zipParts(new Map([['hello.txt', 'hi']]))))).toBe('unreadable');
    expect(await codeOf(convert('xlsx', Buffer.from('not a zip at all')))).toBe('unreadable');
  });
});

describe('.pptx', () => {
  it('reads slide by slide in presentation order, with notes, the slide-number field left out', async () => {
    const deck = await buildPptx([
      { paragraphs: ['Q3 plan', 'Open two stores'], notes: ['Mention the Seattle lease'] },
      { paragraphs: ['Budget & risks'] },
      { paragraphs: ['Draft ideas'], hidden: true },
    ]);
    const { text, truncated } = await convert('pptx', deck);
    expect(truncated).toBe(false);
    expect(text).toBe([
      '## Slide 1', 'Q3 plan', 'Open two stores', 'Notes: Mention the Seattle lease', '',
      '## Slide 2', 'Budget & risks', '',
      '## Slide 3 (hidden slide)', 'Draft ideas',
    ].join('\n'));
  });

  it(`refuses more than ${MAX_PPTX_SLIDES} slides: too_large`, async () => {
    const slides = Array.from({ length: MAX_PPTX_SLIDES + 1 }, (_, index) => ({ paragraphs: [`Slide ${index}`] }));
    expect(await codeOf(convert('pptx', await buildPptx(slides)))).toBe('too_large');
  });

  it(`refuses a zip of more than ${MAX_PPTX_PARTS} entries before reading any: too_large`, async () => {
    const parts = pptxParts([{ paragraphs: ['x'] }]);
    const empties: ZipPart[] = Array.from({ length: MAX_PPTX_PARTS }, (_, index) => ({ name: `ppt/media/e${index}.bin`, data: Buffer.alloc(0), method: 0, declaredSize: 0 }));
    expect(await codeOf(convert('pptx', zipWith(parts, empties)))).toBe('too_large');
  });

  it('refuses a slide whose directory declares 1,000 bytes but that inflates to 1 GiB: too_large', async () => {
    const parts = pptxParts([{ paragraphs: ['x'] }]);
    const bomb = zipWith(parts, [{ name: 'ppt/slides/slide1.xml', data: deflatedZeros(1024), method: 8, declaredSize: 1000 }]);
    expect(await codeOf(convert('pptx', bomb))).toBe('too_large');
  });
});

describe('PDF', () => {
  it('reads page by page', async () => {
    const pdf = buildPdf([['Invoice 4711', 'Total due: 1,200.00'], ['Terms: 30 days']]);
    const { text, truncated } = await convert('pdf', pdf);
    expect(truncated).toBe(false);
    expect(text).toMatch(/^## Page 1\nInvoice 4711\s+Total due: 1,200\.00\s+## Page 2\nTerms: 30 days$/);
  });

  it(`refuses more than ${MAX_PDF_PAGES} pages (pdf.js counts the real page tree, not its declared count): too_large`, async () => {
    const pages = Array.from({ length: MAX_PDF_PAGES + 1 }, (_, index) => [`page ${index}`]);
    expect(await codeOf(convert('pdf', buildPdf(pages)))).toBe('too_large');
  });

  it(`refuses a compressed stream that inflates past ${MAX_PDF_INFLATED_BYTES} bytes (about 1 KiB per MiB): too_large`, async () => {
    // A zlib header and repeated deflate blocks of zeros: what a compressor makes of 144 MiB, built without making it.
    const blocks = deflatedZeros(MAX_PDF_INFLATED_BYTES / (1024 * 1024) + 16);
    const stream = Buffer.concat([Buffer.from([0x78, 0xda]), blocks]);
    // The page's own content stream: pdf.js would inflate all of it to read the page's text.
    const pdf = buildPdf([['cover']], { firstPageStream: Buffer.concat([Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), stream, Buffer.from('\nendstream', 'latin1')]) });
    expect(await codeOf(convert('pdf', pdf))).toBe('too_large');
  });

  it('refuses what it cannot measure before pdf.js reads it (LZW, encryption): unreadable', async () => {
    const lzw = buildPdf([['x']], { extraObjects: ['<< /Length 2 /Filter /LZWDecode >>\nstream\n\x80\x00\nendstream'] });
    expect(await codeOf(convert('pdf', lzw))).toBe('unreadable');
    const encrypted = buildPdf([['x']], { extraObjects: ['<< /Filter /Standard /V 1 /R 2 >>'] });
    expect(await codeOf(convert('pdf', Buffer.from(encrypted.toString('latin1').replace('/Filter /Standard', '/Encrypt 1 0 R /Filter /Standard'), 'latin1')))).toBe('unreadable');
  });

  it('refuses such a filter however it is written: escaped, after a comment, in an array, inside an object stream', async () => {
    const escaped = buildPdf([['x']], { extraObjects: ['<< /Length 2 /Fil#74er /LZW#44ecode >>\nstream\n\x80\x00\nendstream'] });
    const commented = buildPdf([['x']], { extraObjects: ['<< /Length 2 /Filter % a comment\n [ /FlateDecode\n/RL ] >>\nstream\n\x80\x00\nendstream'] });
    const hidden = deflateSync(Buffer.from('<< /Length 2 /Filter /RunLengthDecode >>'));
    const inObjectStream = buildPdf([['x']], { extraObjects: [Buffer.concat([Buffer.from(`<< /Type /ObjStm /N 1 /First 0 /Length ${hidden.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), hidden, Buffer.from('\nendstream', 'latin1')])] });
    for (const pdf of [escaped, commented, inObjectStream]) expect(await codeOf(convert('pdf', pdf))).toBe('unreadable');
  });

  it('reads a PDF whose binary data happens to hold the bytes of such a name', async () => {
    const image = Buffer.from('\x00\xff/RL /LZW /Encrypt\x01', 'latin1');
    const pdf = buildPdf([['Still readable']], { extraObjects: [Buffer.concat([Buffer.from(`<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray /Length ${image.length} >>\nstream\n`, 'latin1'), image, Buffer.from('\nendstream', 'latin1')])] });
    expect((await convert('pdf', pdf)).text).toContain('Still readable');
  });

  it('answers unreadable for bytes that are no PDF', async () => {
    expect(await codeOf(convert('pdf', Buffer.from('%PDF-1.7\nnothing here')))).toBe('unreadable');
  });
});
