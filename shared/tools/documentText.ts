// Document text inside a listing (a Teams message, a task's note): one that cannot be converted is named as such
// in its place, so a single hostile item never costs the user the whole list.
import { DocumentError, type DocumentErrorCode } from '../documents/documentError.js';
import type { DocumentInput, DocumentText } from '../documents/documentFormats.js';
import type { ToolContext } from './defineTool.js';

export type DocumentContext = Pick<ToolContext, 'documents' | 'signal'>;

const WHY: Readonly<Record<DocumentErrorCode, string>> = {
  too_large: 'too large to convert',
  too_complex: 'too complex to convert',
  conversion_timeout: 'took too long to convert',
  unreadable: 'could not be read',
  busy: 'this server is busy converting documents; read it again later',
  cancelled: 'the request ended first',
};

/**
 * The converted text of `input`, or `(<what> not shown: <why>)` when it cannot be converted: a listing, or the
 * answer to a write Graph has already made, never fails for one item's text.
 */
export async function convertedOrNotShown(context: DocumentContext, input: DocumentInput, what: string): Promise<DocumentText> {
  try {
    return await context.documents.convert(input, context.signal);
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    return { text: `(${what} not shown: ${WHY[error.code]})`, truncated: false };
  }
}
