// One test stack for a file (or a describe block), with an MCP client connected for each sample user; all closed
// after the tests.
import type { McpClient } from './mcpClient.js';
import { afterAll, beforeAll } from 'vitest';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack, type TestStackOptions } from './testStack.js';
import { connectAs } from './toolCalls.js';

export interface ConnectedStack {
  readonly stack: TestStack;
  readonly adele: McpClient;
  readonly alex: McpClient;
  readonly megan: McpClient;
}

/** Starts the stack and connects Adele, Alex and Megan before the tests; `receive` gets them once they are ready. */
export function useConnectedStack(receive: (connected: ConnectedStack) => void, options: TestStackOptions = {}): void {
  let connected: ConnectedStack | undefined;
  beforeAll(async () => {
    const stack = await startTestStack(options);
    const [adele, alex, megan] = await Promise.all([ADELE, ALEX, MEGAN].map((user) => connectAs(stack, user)));
    connected = { stack, adele: adele!, alex: alex!, megan: megan! };
    receive(connected);
  });
  afterAll(async () => {
    if (connected === undefined) return;
    const { stack, adele, alex, megan } = connected;
    await Promise.all([adele, alex, megan].map((client) => client.close()));
    await stack.close();
  });
}
