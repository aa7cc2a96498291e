// Local Graph: the signed-in user's profile and the people they work with.
import { graphError, type GraphRoute } from './localGraph.js';
import { page, select } from './odata.js';
import type { UserData } from './userData.js';

export const profileRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: /^\/me$/,
    anyScope: ['User.Read', 'User.ReadBasic.All', 'User.Read.All'],
    handle: ({ data, url }) => ({ status: 200, body: select(data.profile, url.searchParams) }),
  },
  {
    method: 'GET',
    pattern: /^\/me\/people$/,
    anyScope: ['People.Read', 'People.Read.All'],
    handle: ({ data, url }) => {
      const search = (url.searchParams.get('$search') ?? '').replace(/^"|"$/g, '').toLowerCase();
      const matches = data.people.filter((person) =>
        search === '' ||
        [person.displayName, person.givenName, person.surname, person.userPrincipalName, ...(person.scoredEmailAddresses ?? []).map((email) => email.address)]
          .some((value) => typeof value === 'string' && value.toLowerCase().includes(search)));
      return { status: 200, body: page(matches, url, 10) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/users\/([^/]+)$/,
    anyScope: ['User.ReadBasic.All', 'User.Read.All'],
    handle: ({ tenantUsers, params, url }) => {
      const key = decodeURIComponent(params[0] ?? '').toLowerCase();
      const found = tenantUsers.find((candidate: UserData) => candidate.profile.id === key || candidate.user.upn.toLowerCase() === key);
      return found === undefined ? graphError(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist.`) : { status: 200, body: select(found.profile, url.searchParams) };
    },
  },
];

/** Seeds job details and the people each sample user works with (their tenant's other users, plus a few contacts). */
export function seedProfile(data: UserData): void {
  const jobs: Record<string, [string, string]> = {
    adele: ['Retail Manager', '18/2111'],
    alex: ['Marketing Assistant', '131/1104'],
    megan: ['Product Manager', '12/1110'],
  };
  const [jobTitle, officeLocation] = jobs[data.user.key] ?? ['Employee', '1/100'];
  data.profile = { ...data.profile, jobTitle, officeLocation };
  const colleagues = [
    { name: 'Lee Gu', upn: 'LeeG', title: 'Director' },
    { name: 'Nestor Wilke', upn: 'NestorW', title: 'Director' },
    { name: 'Patti Fernandez', upn: 'PattiF', title: 'President' },
    { name: 'Lynne Robbins', upn: 'LynneR', title: 'Planner' },
  ];
  const domain = data.user.upn.split('@')[1] ?? 'example.com';
  data.people = colleagues.map((colleague, index) => {
    const address = `${colleague.upn}@${domain}`;
    const [givenName, surname] = colleague.name.split(' ');
    return {
      id: `${data.user.key}-person-${index}`,
      displayName: colleague.name,
      givenName: givenName ?? null,
      surname: surname ?? null,
      jobTitle: colleague.title,
      userPrincipalName: address,
      scoredEmailAddresses: [{ address, relevanceScore: 10 - index }],
    };
  });
}
