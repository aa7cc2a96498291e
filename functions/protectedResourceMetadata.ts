// GET /.well-known/*: RFC 9728 metadata of /mcp and of each tenant's /tenants/<id>/mcp, no auth; a readable 404 for any other document.
import { register } from './register.js';

export const wellKnown = register('wellKnown');
