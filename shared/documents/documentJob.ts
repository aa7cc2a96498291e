// The messages between the server and a document worker: one job out, one reply back.
import type { DocumentErrorCode } from './documentError.js';
import type { DocumentFormat } from './documentFormats.js';

export interface DocumentJob {
  readonly id: number;
  readonly format: DocumentFormat;
  readonly content: string | Uint8Array;
  readonly name: string;
  readonly maxChars: number;
}

export type DocumentReply =
  /** The converter is loaded and begins: the time limit counts from here, not from the worker's start. */
  | { readonly id: number; readonly started: true }
  | { readonly id: number; readonly ok: true; readonly text: string; readonly truncated: boolean; readonly title?: string | undefined }
  | { readonly id: number; readonly ok: false; readonly code: DocumentErrorCode; readonly message: string };
