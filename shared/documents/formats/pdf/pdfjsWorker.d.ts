// The one export of pdf.js's worker code this server uses: its message handler, run in the document worker's thread.
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
