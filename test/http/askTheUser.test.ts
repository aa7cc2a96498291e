// Confirmation before acting and consent by URL, through the SDK's 2026-07-28 client and its elicitation handler
// over real HTTP: what the person is shown, that only "accept" lets a write reach Graph, and what a 2025-era client
// and a client that cannot show a form get instead.
import { Client, StreamableHTTPClientTransport, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { MAX_PREVIEW_CHARS } from '../../shared/mcp/confirmation.js';
import { connectClient } from '../support/mcpClient.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const VERSION = '2026-07-28';

type Modes = { form?: Record<string, never>; url?: Record<string, never> };
type Answerer = (request: ElicitRequest['params']) => ElicitResult;

/** The v2 client, declaring `modes` of elicitation, answering each with `answer` and keeping what it was asked. */
async function connectAsking(url: string, token: string, modes: Modes, answer: Answerer): Promise<{ client: Client; asked: ElicitRequest['params'][] }> {
  const asked: ElicitRequest['params'][] = [];
  const client = new Client({ name: 'onbehalf-tests', version: '1.0.0' }, { capabilities: { elicitation: modes }, versionNegotiation: { mode: { pin: VERSION } } });
  client.setRequestHandler('elicitation/create', (request) => {
    asked.push(request.params);
    return answer(request.params);
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return { client, asked };
}

const MAIL = { to: ['ops@contoso.com', 'lead@fabrikam.com'], cc: ['cc@contoso.com'], bcc: ['hidden@contoso.com'], subject: 'Quarterly numbers', body: 'Numbers attached.' };

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.idp.accessToken(ADELE);
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.graph.requests.length = 0;
});

const sends = () => stack.graph.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/me/sendMail'));
const errorCode = (result: { _meta?: Record<string, unknown> }) => (result._meta?.['onbehalf/error'] as { code?: string } | undefined)?.code;
async function auditRows(tool: string): Promise<Record<string, unknown>[]> {
  return (await tableRows(stackTable(stack, 'Audit'))).filter((row) => row['tool'] === tool);
}

describe('confirm before acting (2026-07-28, a client that can show a form)', () => {
  it('shows every recipient, the subject and the text, and sends only after accept', async () => {
    const { client, asked } = await connectAsking(stack.mcpUrl, token, { form: {} }, () => {
      // Asked before Graph hears anything of the mail.
      expect(sends()).toHaveLength(0);
      return { action: 'accept' };
    });
    try {
      const result = await client.callTool({ name: 'send_mail', arguments: MAIL });
      expect(result.isError).toBeFalsy();
      expect(asked).toHaveLength(1);
      const message = asked[0]?.message ?? '';
      for (const line of ['To: ops@contoso.com', 'To: lead@fabrikam.com', 'Cc: cc@contoso.com', 'Bcc: hidden@contoso.com', 'Quarterly numbers', 'Numbers attached.']) expect(message).toContain(line);
      expect(sends()).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it.each([['decline', 'confirmation_declined'], ['cancel', 'confirmation_cancelled']] as const)('%s ends the call with %s and an audit row, and Graph is never called', async (action, code) => {
    // A token never exchanged: had the call reached the exchange, Entra would have been asked.
    const { client } = await connectAsking(stack.mcpUrl, await stack.idp.accessToken(ADELE), { form: {} }, () => ({ action }));
    try {
      const subject = `Declined ${action}`;
      const exchanges = stack.idp.counts.obo;
      const result = await client.callTool({ name: 'send_mail', arguments: { ...MAIL, subject } });
      expect(result.isError).toBe(true);
      expect(errorCode(result)).toBe(code);
      // Not one Graph request, and not even a token exchange for one.
      expect(stack.graph.requests).toHaveLength(0);
      expect(stack.idp.counts.obo).toBe(exchanges);
      const rows = (await auditRows('send_mail')).filter((row) => row['errorCode'] === code);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ outcome: 'refused', oid: ADELE.oid, recipientCount: 4 });
    } finally {
      await client.close();
    }
  });

  it('asks for a Teams chat message, a channel post, a cancellation and a forward too, naming the chat, channel, event or recipients', async () => {
    const chatId = stack.graph.dataOf(ADELE).chats[0]?.id ?? 'no-chat';
    const { client, asked } = await connectAsking(stack.mcpUrl, token, { form: {} }, () => ({ action: 'decline' }));
    try {
      await client.callTool({ name: 'send_chat_message', arguments: { chatId, text: 'Ship it' } });
      await client.callTool({ name: 'post_channel_message', arguments: { teamId: 'team-1', channelId: 'channel-1', text: 'Heads up' } });
      await client.callTool({ name: 'cancel_event', arguments: { id: 'event-1', comment: 'Sorry' } });
      // A tool added later that fills `confirm` is asked the same way: nothing in the mechanism names tools.
      await client.callTool({ name: 'forward_message', arguments: { id: 'message-1', to: ['partner@fabrikam.com'], comment: 'FYI', send: true } });
      expect(asked.map((request) => request.message)).toEqual([
        expect.stringContaining(`Chat: ${chatId}`),
        expect.stringMatching(/Team: team-1[\s\S]*Channel: channel-1[\s\S]*Heads up/),
        expect.stringMatching(/Event: event-1[\s\S]*Sorry/),
        expect.stringMatching(/partner@fabrikam\.com[\s\S]*FYI/),
      ]);
      expect(stack.graph.requests).toHaveLength(0);
    } finally {
      await client.close();
    }
  });

  it('caps the preview, and shows no control or direction-changing character that could disguise a recipient', async () => {
    const { client, asked } = await connectAsking(stack.mcpUrl, token, { form: {} }, () => ({ action: 'decline' }));
    try {
      await client.callTool({ name: 'send_mail', arguments: { ...MAIL, subject: 'Hi\nTo: ceo@contoso.com\u202e', body: 'x'.repeat(MAX_PREVIEW_CHARS + 500) } });
      const message = asked[0]?.message ?? '';
      expect(message).toContain('500 more characters not shown');
      expect(message).not.toContain('x'.repeat(MAX_PREVIEW_CHARS + 1));
      expect(message).not.toMatch(/\u202e|Hi\nTo: ceo/);
    } finally {
      await client.close();
    }
  });

  it('an event without attendees sends nothing and asks nothing; with attendees, it asks', async () => {
    const { client, asked } = await connectAsking(stack.mcpUrl, token, { form: {} }, () => ({ action: 'decline' }));
    try {
      const times = { start: { dateTime: '2030-01-07T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2030-01-07T10:00:00', timeZone: 'UTC' } };
      const alone = await client.callTool({ name: 'create_event', arguments: { subject: 'Focus time', ...times } });
      expect(alone.isError).toBeFalsy();
      expect(asked).toHaveLength(0);
      const invited = await client.callTool({ name: 'create_event', arguments: { subject: 'Review', ...times, attendees: [{ email: 'guest@fabrikam.com' }] } });
      expect(errorCode(invited)).toBe('confirmation_declined');
      expect(asked[0]?.message).toContain('Required: guest@fabrikam.com');
    } finally {
      await client.close();
    }
  });

  it('a client that declared no form elicitation is not asked (its own approval is what it has)', async () => {
    const { client, asked } = await connectAsking(stack.mcpUrl, token, { url: {} }, () => ({ action: 'decline' }));
    try {
      const result = await client.callTool({ name: 'send_mail', arguments: MAIL });
      expect(result.isError).toBeFalsy();
      expect(asked).toHaveLength(0);
      expect(sends()).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('a 2025-era client gets no server-side confirmation (README: 2025-era clients)', async () => {
    const client = await connectClient(stack.mcpUrl, token, 'legacy');
    try {
      const result = await client.callTool({ name: 'send_mail', arguments: MAIL });
      expect(result.isError).toBeFalsy();
      expect(sends()).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});

describe('MCP_CONFIRM_WRITES=off', () => {
  it('sends without asking, even a client that can show a form', async () => {
    const off = await startTestStack({ env: { MCP_CONFIRM_WRITES: 'off' } });
    try {
      const { client, asked } = await connectAsking(off.mcpUrl, await off.idp.accessToken(ADELE), { form: {} }, () => ({ action: 'decline' }));
      try {
        const result = await client.callTool({ name: 'send_mail', arguments: MAIL });
        expect(result.isError).toBeFalsy();
        expect(asked).toHaveLength(0);
      } finally {
        await client.close();
      }
    } finally {
      await off.close();
    }
  });
});

describe('consent by URL elicitation', () => {
  // A token of its own for each test: the exchange for a Graph token is cached by assertion, and a cached one needs no consent.
  let token: string;
  beforeEach(async () => {
    token = await stack.idp.accessToken(ADELE);
  });

  it('puts the admin-consent link in front of the person, and the re-sent request runs the tool', async () => {
    stack.idp.oboFailures.set(ADELE.oid, { failure: 'consent_required', times: 1 });
    const { client, asked } = await connectAsking(stack.mcpUrl, token, { url: {} }, () => ({ action: 'accept' }));
    try {
      const result = await client.callTool({ name: 'list_messages', arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(asked).toEqual([expect.objectContaining({ mode: 'url', url: expect.stringContaining('/adminconsent?client_id=') })]);
    } finally {
      stack.idp.oboFailures.delete(ADELE.oid);
      await client.close();
    }
  });

  it('declined, or still missing after accept, it is the tool error with the link, not the same question again', async () => {
    stack.idp.oboFailures.set(ADELE.oid, { failure: 'consent_required' });
    try {
      for (const action of ['decline', 'accept'] as const) {
        const { client, asked } = await connectAsking(stack.mcpUrl, token, { url: {} }, () => ({ action }));
        try {
          const result = await client.callTool({ name: 'list_messages', arguments: {} });
          expect(errorCode(result)).toBe('consent_required');
          expect(asked).toHaveLength(1);
        } finally {
          await client.close();
        }
      }
    } finally {
      stack.idp.oboFailures.delete(ADELE.oid);
    }
  });

  it('a confirmed write that then needs consent is not asked twice, and sends after both', async () => {
    stack.idp.oboFailures.set(ADELE.oid, { failure: 'consent_required', times: 1 });
    const { client, asked } = await connectAsking(stack.mcpUrl, token, { form: {}, url: {} }, () => ({ action: 'accept' }));
    try {
      const result = await client.callTool({ name: 'send_mail', arguments: MAIL });
      expect(result.isError).toBeFalsy();
      expect(asked.map((request) => request.mode ?? 'form')).toEqual(['form', 'url']);
      expect(sends()).toHaveLength(1);
    } finally {
      stack.idp.oboFailures.delete(ADELE.oid);
      await client.close();
    }
  });

  it.each([['a 2026-07-28 client without URL mode', 'modern'], ['a 2025-era client', 'legacy']] as const)('%s keeps the tool error with the link', async (_label, era) => {
    stack.idp.oboFailures.set(ADELE.oid, { failure: 'consent_required', times: 1 });
    const client = await connectClient(stack.mcpUrl, token, era);
    try {
      const result = await client.callTool({ name: 'list_messages', arguments: {} });
      expect(errorCode(result)).toBe('consent_required');
      expect((result._meta?.['onbehalf/error'] as { consentUrl?: string }).consentUrl).toContain('/adminconsent?client_id=');
    } finally {
      stack.idp.oboFailures.delete(ADELE.oid);
      await client.close();
    }
  });
});
