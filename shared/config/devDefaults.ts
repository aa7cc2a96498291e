// Fixed identities of dev mode: the local identity provider and sandbox Graph use the same values.

/** Tenant of the dev app registration and of the first two sample users. */
export const DEV_TENANT_ID = '7d0c1a4e-6b1f-4c55-9d3a-1a2b3c4d5e6f';
/** A second tenant, so cross-tenant behaviour can be tried locally. */
export const DEV_OTHER_TENANT_ID = 'c3f9e8d7-2a61-4b0e-8f14-9e8d7c6b5a49';
/** The dev server app registration (client id). */
export const DEV_CLIENT_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
/** The dev client credential. Only ever accepted by the local identity provider. */
export const DEV_CLIENT_SECRET = 'dev-only-secret-not-valid-in-entra';
export const DEV_AUTHORITY_HOST = 'https://localhost:7072';
export const DEV_GRAPH_BASE_URL = 'https://localhost:7073';
/** The dev requestState key: dev mode never runs in Azure, so it guards nothing real. */
export const DEV_REQUEST_STATE_KEY = 'dev-only-request-state-key-not-for-any-deployment';
