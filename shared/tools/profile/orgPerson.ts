// The directory entry get_manager and list_direct_reports share: a user or an organizational contact, basic fields only.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { lazily, nullAsAbsent } from '../schemas.js';

export const OrgPerson = lazily(() => z.object({
  id: z.string(),
  displayName: nullAsAbsent(z.string()),
  mail: nullAsAbsent(z.string()),
  userPrincipalName: nullAsAbsent(z.string()).describe('Sign-in name (users only)'),
  jobTitle: nullAsAbsent(z.string()),
}));
export type OrgPerson = z.input<ReturnType<typeof OrgPerson>>;

/** The fields read, so nothing beyond the basic profile travels. */
export const ORG_PERSON_SELECT = 'id,displayName,mail,userPrincipalName,jobTitle';

type DirectoryEntry = MicrosoftGraph.User & MicrosoftGraph.OrgContact;

export function toOrgPerson(entry: DirectoryEntry): OrgPerson {
  return { id: entry.id ?? '', displayName: entry.displayName, mail: entry.mail, userPrincipalName: entry.userPrincipalName, jobTitle: entry.jobTitle };
}

export function orgPersonLine(person: OrgPerson): string {
  const address = person.mail ?? person.userPrincipalName;
  return `${person.displayName ?? '(no name)'}${address ? ` <${address}>` : ''}${person.jobTitle ? `, ${person.jobTitle}` : ''}`;
}
