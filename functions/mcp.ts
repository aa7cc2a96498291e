// POST/GET/DELETE /mcp: the MCP Streamable HTTP endpoint.
import { register } from './register.js';

export const mcp = register('mcp');
