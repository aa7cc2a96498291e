// POST/GET/DELETE /mcp and /tenants/<tenant id>/mcp: the MCP Streamable HTTP endpoint.
import { register } from './register.js';

export const mcp = register('mcp');
export const mcpTenant = register('mcpTenant');
