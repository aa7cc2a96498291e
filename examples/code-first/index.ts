// Entry point: `npm run example:code-first -- [options]`, or `node dist/examples/code-first` after `npm run build`.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
