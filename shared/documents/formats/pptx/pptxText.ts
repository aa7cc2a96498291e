// A .pptx to plain text in a document worker: slide by slide in presentation order, each with its speaker notes,
// read as a stream of tags under caps (parts, bytes, slides), stopping once the text is long enough.
import { DocumentError } from '../../documentError.js';
import type { DocumentText } from '../../documentFormats.js';
import { openZip, type OpenZip } from '../zip/openZip.js';
import { TextOut } from '../zip/textOut.js';
import { readXmlPart, relationshipsOf } from '../zip/xmlPart.js';

/** PowerPoint writes about four per slide (slide, notes, and their relationships). */
export const MAX_PPTX_PARTS = 4000;
/** One part as inflated: a slide's XML is rarely more than a few hundred KiB. */
export const MAX_PPTX_PART_BYTES = 8 * 1024 * 1024;
/** All parts read, as inflated. */
export const MAX_PPTX_INFLATED_BYTES = 32 * 1024 * 1024;
/** More slides than this is refused. */
export const MAX_PPTX_SLIDES = 500;

const NOTES_TYPE = /\/notesSlide$/;

/**
 * The paragraphs of a slide or notes part (`a:t` runs, a line per `a:p`, the slide-number field left out), and
 * whether it is a slide the show skips (`show="0"`: still in the file).
 */
async function paragraphsOf(zip: OpenZip, part: string): Promise<{ paragraphs: string[]; hidden: boolean }> {
  const paragraphs: string[] = [];
  let hidden = false;
  let paragraph = '';
  let inText = false;
  let inSlideNumber = false;
  await readXmlPart(zip, part, {
    open: (tag, attributes) => {
      if (tag === 't') inText = true;
      else if (tag === 'sld') hidden = attributes['show'] === '0';
      else if (tag === 'br') paragraph += '\n';
      else if (tag === 'fld' && attributes['type'] === 'slidenum') inSlideNumber = true;
    },
    text: (text) => {
      if (inText && !inSlideNumber) paragraph += text;
    },
    close: (tag) => {
      if (tag === 't') inText = false;
      else if (tag === 'fld') inSlideNumber = false;
      else if (tag === 'p') {
        const trimmed = paragraph.trim();
        if (trimmed !== '') paragraphs.push(trimmed);
        paragraph = '';
      }
    },
  });
  return { paragraphs, hidden };
}

/** Throws `DocumentError` `unreadable` for a damaged .pptx, `too_large` past a cap. */
export async function pptxText(content: Uint8Array, name: string, maxChars: number): Promise<DocumentText> {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const zip = await openZip(bytes, name, '.pptx', { maxEntries: MAX_PPTX_PARTS, maxPartBytes: MAX_PPTX_PART_BYTES, maxTotalBytes: MAX_PPTX_INFLATED_BYTES });
  try {
    const presentation = 'ppt/presentation.xml';
    const relations = await relationshipsOf(zip, presentation);
    const slides: string[] = [];
    const found = await readXmlPart(zip, presentation, {
      open: (tag, attributes) => {
        if (tag !== 'sldId') return;
        if (slides.length >= MAX_PPTX_SLIDES) throw new DocumentError('too_large', `${name} has more than ${MAX_PPTX_SLIDES} slides; its text is not extracted`);
        const id = attributes['r:id'] ?? Object.entries(attributes).find(([key]) => key.endsWith(':id'))?.[1];
        const part = id === undefined ? undefined : relations.get(id)?.target;
        if (part !== undefined) slides.push(part);
      },
    });
    if (!found) throw new DocumentError('unreadable', `${name} is not a valid .pptx file`);
    const out = new TextOut(maxChars);
    for (const [index, slide] of slides.entries()) {
      if (out.full()) break;
      const { paragraphs, hidden } = await paragraphsOf(zip, slide);
      out.line(`## Slide ${index + 1}${hidden ? ' (hidden slide)' : ''}`);
      for (const paragraph of paragraphs) out.line(paragraph);
      const notesPart = [...(await relationshipsOf(zip, slide)).values()].find((relation) => NOTES_TYPE.test(relation.type))?.target;
      const notes = notesPart === undefined ? [] : (await paragraphsOf(zip, notesPart)).paragraphs;
      if (notes.length > 0) out.line(`Notes: ${notes.join('\n')}`);
      out.line('');
    }
    return out.done();
  } finally {
    zip.close();
  }
}
