// Plain http to Table Storage only for a loopback host, decided from the endpoint's parsed host, never by a substring.
import { describe, expect, it } from 'vitest';
import { connectionStringEndpoint, isLoopbackHost } from '../../shared/config/tablesEndpoint.js';
import { plainHttpAllowed } from '../../shared/tables/tableClients.js';
import { azuriteConnectionString } from '../../sandbox/azurite.js';

const KEY = 'AccountKey=a2V5;';
const connection = (connectionString: string) => ({ kind: 'connectionString', connectionString }) as const;

describe('plainHttpAllowed', () => {
  it.each([
    ['UseDevelopmentStorage=true'],
    [azuriteConnectionString(10002)],
    [`DefaultEndpointsProtocol=http;AccountName=dev;${KEY}TableEndpoint=http://localhost:10002/dev;`],
    [`DefaultEndpointsProtocol=http;AccountName=dev;${KEY}TableEndpoint=http://[::1]:10002/dev;`],
  ])('allows it for the emulator on loopback: %s', (value) => {
    expect(plainHttpAllowed(connection(value))).toBe(true);
  });

  it.each([
    [`DefaultEndpointsProtocol=http;AccountName=acct;${KEY}TableEndpoint=http://tables.example.com/localhost;`],
    [`DefaultEndpointsProtocol=http;AccountName=acct;${KEY}TableEndpoint=http://tables.example.com/?host=127.0.0.1;`],
    [`DefaultEndpointsProtocol=http;AccountName=acct;${KEY}TableEndpoint=http://localhost.example.com/acct;`],
    [`DefaultEndpointsProtocol=http;AccountName=localhost;${KEY}EndpointSuffix=core.windows.net`],
    [`DefaultEndpointsProtocol=http;AccountName=acct;${KEY}TableEndpoint=http://tables.example.com/acct;DevelopmentHost=localhost`],
  ])('refuses it when only a substring says localhost: %s', (value) => {
    expect(plainHttpAllowed(connection(value))).toBe(false);
  });

  it('refuses it for the managed identity endpoint form', () => {
    expect(plainHttpAllowed({ kind: 'endpoint', endpoint: 'https://acct.table.core.windows.net' })).toBe(false);
  });
});

describe('connectionStringEndpoint', () => {
  it('reads TableEndpoint, the account default, or the emulator', () => {
    expect(connectionStringEndpoint('UseDevelopmentStorage=true')?.href).toBe('http://127.0.0.1:10002/devstoreaccount1');
    expect(connectionStringEndpoint(`AccountName=acct;${KEY}EndpointSuffix=core.usgovcloudapi.net`)?.href).toBe('https://acct.table.core.usgovcloudapi.net/');
    expect(connectionStringEndpoint(`${KEY}TableEndpoint=https://acct.table.core.windows.net/`)?.hostname).toBe('acct.table.core.windows.net');
    expect(connectionStringEndpoint(KEY)).toBeUndefined();
    expect(connectionStringEndpoint('TableEndpoint=ftp://acct/')).toBeUndefined();
  });

  it.each(['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '[::1]'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['localhost.example.com', '127.0.0.1.example.com', '10.0.0.1', '[::2]', 'example.com'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
