// The anchor's process: the bare SDK handler of anchorHandler.ts on PORT, loopback only.
import { serveFetch } from '../sandbox/nodeFetch.js';
import { createAnchorHandler } from './anchorHandler.js';

const served = await serveFetch(createAnchorHandler(), { port: Number(process.env['PORT'] ?? 0) });
process.send?.({ ready: true, port: served.port });
