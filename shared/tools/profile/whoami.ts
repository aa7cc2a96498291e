// whoami: the signed-in user this server acts for, from the verified token and (optionally) the Graph profile.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { lazily, nullAsAbsent } from '../schemas.js';

const Profile = lazily(() => z.object({
  displayName: nullAsAbsent(z.string()),
  mail: nullAsAbsent(z.string()),
  jobTitle: nullAsAbsent(z.string()),
  officeLocation: nullAsAbsent(z.string()),
  preferredLanguage: nullAsAbsent(z.string()),
}));

const Output = lazily(() => z.object({
  tid: z.string().describe('Tenant id'),
  oid: z.string().describe('User object id'),
  upn: z.string().optional().describe('Sign-in name'),
  name: z.string().optional().describe('Display name'),
  scopes: z.array(z.string()).describe('Delegated scopes the calling app holds for this server'),
  appId: z.string().optional().describe('Client application acting for the user'),
  roles: z.array(z.string()).optional().describe('App roles the user holds on this server (they decide which tools a policy grants)'),
  profile: Profile().optional().describe('Microsoft Graph profile (when requested)'),
}));

export const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description: 'The signed-in user this server acts for: tenant, object id, sign-in name, calling app, and their Microsoft 365 profile.',
  scopes: ['User.Read'],
  input: () => z.object({
    profile: z.boolean().default(true).describe('Also read the Microsoft 365 profile (job title, office, mail)'),
  }),
  output: () => Output(),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { identity, graph }) => {
    const profile = input.profile
      ? Profile().parse(await graph.get<MicrosoftGraph.User>('/me', { query: { $select: 'displayName,mail,jobTitle,officeLocation,preferredLanguage' } }))
      : undefined;
    const structured = {
      tid: identity.tid,
      oid: identity.oid,
      ...(identity.upn !== undefined && { upn: identity.upn }),
      ...(identity.name !== undefined && { name: identity.name }),
      scopes: [...identity.scopes],
      ...(identity.appId !== undefined && { appId: identity.appId }),
      ...(identity.roles.length > 0 && { roles: [...identity.roles] }),
      ...(profile !== undefined && { profile }),
    };
    const who = identity.name ?? identity.upn ?? identity.oid;
    const job = profile?.jobTitle ? `, ${profile.jobTitle}` : '';
    return { structured, text: `${who} (${identity.upn ?? 'no sign-in name'})${job}; tenant ${identity.tid}, object id ${identity.oid}` };
  },
});
