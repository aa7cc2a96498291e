// GET /.well-known/oauth-protected-resource[/mcp]: RFC 9728 metadata, no auth.
import { register } from './register.js';

export const protectedResourceMetadata = register('protectedResourceMetadata');
export const protectedResourceMetadataMcp = register('protectedResourceMetadataMcp');
