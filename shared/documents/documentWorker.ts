// The document worker's entry: converts one job at a time, off the server's event loop, and answers with its text
// or a typed error code. The server ends it at its time limit, at the request's deadline, or when it idles.
import { parentPort } from 'node:worker_threads';
import type { DocumentJob, DocumentReply } from './documentJob.js';
import { runJob } from './formats/runJob.js';

const port = parentPort;
if (port === null) throw new Error('documentWorker runs as a worker thread');
port.on('message', (job: DocumentJob) => {
  const started: DocumentReply = { id: job.id, started: true };
  void runJob(job, () => port.postMessage(started)).then((reply) => port.postMessage(reply));
});
