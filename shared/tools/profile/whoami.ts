// whoami: the signed-in user as this server sees them, from the verified token.
import { z } from 'zod';
import { defineTool } from '../defineTool.js';

const Output = z.object({
  tid: z.string().describe('Tenant id'),
  oid: z.string().describe('User object id'),
  upn: z.string().optional().describe('Sign-in name'),
  name: z.string().optional().describe('Display name'),
  scopes: z.array(z.string()).describe('Delegated scopes the calling app holds for this server'),
  appId: z.string().optional().describe('Client application acting for the user'),
});

export const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description: 'The signed-in user this server acts for: tenant, object id, sign-in name, and the calling app.',
  scopes: [],
  input: z.object({}),
  output: Output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (_input, { identity }) => {
    const structured = {
      tid: identity.tid,
      oid: identity.oid,
      ...(identity.upn !== undefined && { upn: identity.upn }),
      ...(identity.name !== undefined && { name: identity.name }),
      scopes: [...identity.scopes],
      ...(identity.appId !== undefined && { appId: identity.appId }),
    };
    const who = identity.name ?? identity.upn ?? identity.oid;
    return { structured, text: `${who} (${identity.upn ?? 'no sign-in name'}), tenant ${identity.tid}, object id ${identity.oid}` };
  },
});
