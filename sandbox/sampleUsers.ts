// The sample users of dev mode and the tests: two in one tenant (one may read and write, one only read), one in another with no role.
import { DEV_OTHER_TENANT_ID, DEV_TENANT_ID } from '../shared/config/devDefaults.js';

export interface SampleUser {
  readonly key: string;
  readonly tid: string;
  readonly oid: string;
  readonly upn: string;
  readonly name: string;
  /** App roles of the dev server app assigned to the user (the `roles` of their tokens for it): Entra's app role assignments. */
  readonly roles?: readonly string[];
}

export const ADELE: SampleUser = { key: 'adele', tid: DEV_TENANT_ID, oid: '1a7c9f2e-0b3d-4e8a-9c61-5f2d8e4b7a10', upn: 'AdeleV@contoso.example', name: 'Adele Vance', roles: ['Tools.Read', 'Tools.Write'] };
export const ALEX: SampleUser = { key: 'alex', tid: DEV_TENANT_ID, oid: '2b8d0a3f-1c4e-4f9b-8d72-6a3e9f5c8b21', upn: 'AlexW@contoso.example', name: 'Alex Wilber', roles: ['Tools.Read'] };
export const MEGAN: SampleUser = { key: 'megan', tid: DEV_OTHER_TENANT_ID, oid: '3c9e1b4a-2d5f-4a0c-9e83-7b4f0a6d9c32', upn: 'MeganB@fabrikam.example', name: 'Megan Bowen' };

export const SAMPLE_USERS: readonly SampleUser[] = [ADELE, ALEX, MEGAN];
