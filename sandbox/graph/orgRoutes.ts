// Local Graph: the directory's reporting lines (/me/manager, /me/directReports), the same for every reader of a tenant.
import { ADELE, ALEX, MEGAN, type SampleUser } from '../sampleUsers.js';
import { graphError, type GraphRoute } from './localGraph.js';
import { page, select } from './odata.js';
import type { UserData } from './userData.js';

interface DirectoryEntry {
  readonly '@odata.type': '#microsoft.graph.user' | '#microsoft.graph.orgContact';
  readonly id: string;
  readonly displayName: string;
  readonly mail: string;
  readonly userPrincipalName?: string;
  readonly jobTitle: string;
  /** Outside the basic profile: User.ReadBasic.All does not show it. */
  readonly department: string;
}

function person(id: string, displayName: string, address: string, jobTitle: string, department: string): DirectoryEntry {
  return { '@odata.type': '#microsoft.graph.user', id, displayName, mail: address, userPrincipalName: address, jobTitle, department };
}

function sample(user: SampleUser, jobTitle: string, department: string): DirectoryEntry {
  return person(user.oid, user.name, user.upn, jobTitle, department);
}

/** Each sample user's manager (absent: none) and direct reports; sample users appear as themselves. */
const ORG: Readonly<Record<string, { manager?: DirectoryEntry; reports: readonly DirectoryEntry[] }>> = {
  [ADELE.key]: {
    manager: person('5e1c0f3a-7d42-4b8e-a1f6-0c9d2e7b4a51', 'Patti Fernandez', 'PattiF@contoso.example', 'President', 'Executive'),
    reports: [
      sample(ALEX, 'Marketing Assistant', 'Marketing'),
      person('6f2d1a4b-8e53-4c9f-b2a7-1d0e3f8c5b62', 'Lynne Robbins', 'LynneR@contoso.example', 'Planner', 'Retail'),
      person('7a3e2b5c-9f64-4dab-83b8-2e1f4a9d6c73', 'Nestor Wilke', 'NestorW@contoso.example', 'Director', 'Operations'),
      { '@odata.type': '#microsoft.graph.orgContact', id: '8b4f3c6d-a075-4ebc-94c9-3f2a5bae7d84', displayName: 'Northwind Temp Staff', mail: 'staff@northwind.example', jobTitle: 'Seasonal staff', department: 'Retail' },
    ],
  },
  [ALEX.key]: { manager: sample(ADELE, 'Retail Manager', 'Retail'), reports: [] },
  [MEGAN.key]: {
    reports: [
      person('9c5a4d7e-b186-4fcd-a5da-4a3b6cbf8e95', 'Diego Siciliani', 'DiegoS@fabrikam.example', 'HR Manager', 'HR'),
      person('ad6b5e8f-c297-40de-b6eb-5b4c7dc09fa6', 'Isaiah Langer', 'IsaiahL@fabrikam.example', 'Sales Rep', 'Sales'),
    ],
  },
};

/** What Graph answers for a directory object: the selected properties, and always its type. */
function shown(entry: DirectoryEntry, query: URLSearchParams): Record<string, unknown> {
  return { '@odata.type': entry['@odata.type'], ...select(entry, query) };
}

const orgOf = (data: UserData) => ORG[data.user.key] ?? { reports: [] };

// Graph documents User.Read.All as the least privilege for the manager, and User.ReadBasic.All for reports' profiles.
const MANAGER_SCOPES = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const REPORTS_SCOPES = ['User.ReadBasic.All', ...MANAGER_SCOPES];

export const orgRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: /^\/me\/manager$/i,
    anyScope: MANAGER_SCOPES,
    handle: ({ data, url }) => {
      const { manager } = orgOf(data);
      if (manager === undefined) return graphError(404, 'Request_ResourceNotFound', 'Resource \'manager\' does not exist or one of its queried reference-property objects are not present.');
      return { status: 200, body: shown(manager, url.searchParams) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/me\/directReports$/i,
    anyScope: REPORTS_SCOPES,
    handle: ({ data, url }) => {
      const { reports } = orgOf(data);
      const answer = page(reports, url, 100);
      // Types stay on every entry, whatever $select says.
      const value = answer.value.map((entry) => ({ '@odata.type': reports.find((candidate) => candidate.id === entry.id)?.['@odata.type'], ...entry }));
      return { status: 200, body: { ...answer, value } };
    },
  },
];
