// The anchor's process: the bare SDK handler of anchorHandler.ts on PORT, loopback only; ANCHOR_GRAPH_REQUEST (JSON:
// url, headers) is the Graph request of its `graph` tool.
import { serveFetch } from '../sandbox/nodeFetch.js';
import { createAnchorHandler, type AnchorGraphRequest } from './anchorHandler.js';

const graph = process.env['ANCHOR_GRAPH_REQUEST'];
const served = await serveFetch(createAnchorHandler(graph === undefined ? undefined : JSON.parse(graph) as AnchorGraphRequest), { port: Number(process.env['PORT'] ?? 0) });
process.send?.({ ready: true, port: served.port });
