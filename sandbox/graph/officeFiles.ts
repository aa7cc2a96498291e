// Small, real Office files and PDFs built in code: the local Graph's sample workbooks, decks and PDFs, and the
// shapes tests need (many sheets, many slides, a page count), each written as the format's own writers do.
import JSZip from 'jszip';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export const escapeXml = (text: string) => text.replace(/[<>&"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[char] ?? char);

const relationships = (targets: readonly (readonly [type: string, target: string])[]) =>
  `${XML_HEAD}<Relationships xmlns="${RELS_NS}">${targets.map(([type, target], index) => `<Relationship Id="rId${index + 1}" Type="${DOC_REL}/${type}" Target="${target}"/>`).join('')}</Relationships>`;

export interface SheetSpec {
  readonly name: string;
  /** Rows of cells; strings go to the shared strings table, numbers and booleans stay in the cell. */
  readonly rows: readonly (readonly (string | number | boolean)[])[];
  readonly hidden?: boolean;
}

const columnName = (index: number): string => (index >= 26 ? columnName(Math.floor(index / 26) - 1) : '') + String.fromCharCode(65 + (index % 26));

/** The parts of an .xlsx of `sheets` (a shared strings table for their strings), by part name. */
export function xlsxParts(sheets: readonly SheetSpec[]): Map<string, string> {
  const strings: string[] = [];
  const parts = new Map<string, string>();
  parts.set('[Content_Types].xml', `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`);
  parts.set('_rels/.rels', relationships([['officeDocument', 'xl/workbook.xml']]));
  const sheetElements = sheets.map((sheet, index) => `<sheet name="${escapeXml(sheet.name)}" sheetId="${index + 1}"${sheet.hidden === true ? ' state="hidden"' : ''} r:id="rId${index + 1}"/>`).join('');
  parts.set('xl/workbook.xml', `${XML_HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${DOC_REL}"><sheets>${sheetElements}</sheets></workbook>`);
  sheets.forEach((sheet, index) => {
    const rows = sheet.rows.map((row, rowIndex) => `<row r="${rowIndex + 1}">${row.map((value, column) => {
      const reference = `${columnName(column)}${rowIndex + 1}`;
      if (typeof value === 'number') return `<c r="${reference}"><v>${value}</v></c>`;
      if (typeof value === 'boolean') return `<c r="${reference}" t="b"><v>${value ? 1 : 0}</v></c>`;
      if (value === '') return '';
      strings.push(value);
      return `<c r="${reference}" t="s"><v>${strings.length - 1}</v></c>`;
    }).join('')}</row>`).join('');
    parts.set(`xl/worksheets/sheet${index + 1}.xml`, `${XML_HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`);
  });
  parts.set('xl/_rels/workbook.xml.rels', relationships([...sheets.map((_, index) => ['worksheet', `worksheets/sheet${index + 1}.xml`] as const), ['sharedStrings', 'sharedStrings.xml']]));
  parts.set('xl/sharedStrings.xml', `${XML_HEAD}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((text) => `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`).join('')}</sst>`);
  return parts;
}

export interface SlideSpec {
  readonly paragraphs: readonly string[];
  readonly notes?: readonly string[];
  readonly hidden?: boolean;
}

const textBody = (paragraphs: readonly string[]) => `<p:txBody><a:bodyPr/>${paragraphs.map((text) => `<a:p><a:r><a:t>${escapeXml(text)}</a:t></a:r></a:p>`).join('')}</p:txBody>`;
const PML = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';

/** The parts of a .pptx of `slides`, each with its notes slide when it has notes, by part name. */
export function pptxParts(slides: readonly SlideSpec[]): Map<string, string> {
  const parts = new Map<string, string>();
  parts.set('[Content_Types].xml', `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>`);
  parts.set('_rels/.rels', relationships([['officeDocument', 'ppt/presentation.xml']]));
  const ids = slides.map((_, index) => `<p:sldId id="${256 + index}" r:id="rId${index + 1}"/>`).join('');
  parts.set('ppt/presentation.xml', `${XML_HEAD}<p:presentation ${PML} xmlns:r="${DOC_REL}"><p:sldIdLst>${ids}</p:sldIdLst></p:presentation>`);
  parts.set('ppt/_rels/presentation.xml.rels', relationships(slides.map((_, index) => ['slide', `slides/slide${index + 1}.xml`] as const)));
  slides.forEach((slide, index) => {
    const number = index + 1;
    parts.set(`ppt/slides/slide${number}.xml`, `${XML_HEAD}<p:sld ${PML}${slide.hidden === true ? ' show="0"' : ''}><p:cSld><p:spTree><p:sp>${textBody(slide.paragraphs)}</p:sp></p:spTree></p:cSld></p:sld>`);
    if (slide.notes === undefined) return;
    parts.set(`ppt/slides/_rels/slide${number}.xml.rels`, relationships([['notesSlide', `../notesSlides/notesSlide${number}.xml`]]));
    // PowerPoint's notes page holds the slide number as a field: it is not part of the notes.
    const slideNumber = `<p:sp><p:txBody><a:bodyPr/><a:p><a:fld id="{1}" type="slidenum"><a:t>${number}</a:t></a:fld></a:p></p:txBody></p:sp>`;
    parts.set(`ppt/notesSlides/notesSlide${number}.xml`, `${XML_HEAD}<p:notes ${PML}><p:cSld><p:spTree><p:sp>${textBody(slide.notes)}</p:sp>${slideNumber}</p:spTree></p:cSld></p:notes>`);
  });
  return parts;
}

/** `parts` zipped (deflated), as Office saves them. */
export function zipParts(parts: ReadonlyMap<string, string | Buffer>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of parts) zip.file(name, content, { createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export const buildXlsx = (sheets: readonly SheetSpec[]) => zipParts(xlsxParts(sheets));
export const buildPptx = (slides: readonly SlideSpec[]) => zipParts(pptxParts(slides));

export interface PdfOptions {
  /** The first page's content stream object as written (`<< ... >>\nstream\n...\nendstream`), instead of its lines. */
  readonly firstPageStream?: Buffer;
  /** More objects, written as given (`<< ... >>\nstream\n...`), numbered after the pages. */
  readonly extraObjects?: readonly (string | Buffer)[];
}

const pdfString = (text: string) => `(${text.replace(/[\\()]/g, (char) => `\\${char}`)})`;

/** A PDF of `pages`, each page's lines set in Helvetica, with its cross-reference table. */
export function buildPdf(pages: readonly (readonly string[])[], options: PdfOptions = {}): Buffer {
  const objects: (string | Buffer)[] = [];
  const pageRefs = pages.map((_, index) => `${4 + index * 2} 0 R`);
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${pageRefs.join(' ')}] /Count ${pages.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  pages.forEach((lines, index) => {
    const content = `BT /F1 12 Tf 14 TL 72 720 Td ${lines.map((line) => `${pdfString(line)} Tj T*`).join(' ')} ET`;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${5 + index * 2} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`);
    objects.push(index === 0 && options.firstPageStream !== undefined ? options.firstPageStream : `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  });
  objects.push(...(options.extraObjects ?? []));
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = chunks[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(length);
    const chunk = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`, 'latin1'), typeof object === 'string' ? Buffer.from(object, 'latin1') : object, Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(chunk);
    length += chunk.length;
  });
  const table = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  chunks.push(Buffer.from(`${table}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(chunks);
}
