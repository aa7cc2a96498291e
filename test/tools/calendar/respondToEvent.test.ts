// respond_to_event over a real MCP client: the invitee's answer lands on their calendar, the organizer is told only when
// asked, an answer already given is not sent again, and the organizer or another user gets a clear refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANCELLED_CANNOT_RESPOND, ORGANIZER_CANNOT_RESPOND, respondToEvent } from '../../../shared/tools/calendar/respondToEvent.js';
import { messagesIn } from '../../../sandbox/graph/mailRoutes.js';
import { GRAPH_AUDIENCE } from '../../../sandbox/identityProvider.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../../sandbox/sampleUsers.js';
import type { TestStack } from '../../support/testStack.js';
import { startStackWithClients, type StackWithClients } from '../../support/toolCalls.js';
import { call, clientFor, errorCode, structuredOf } from './calendarTestKit.js';

let fixture: StackWithClients;
let stack: TestStack;
beforeAll(async () => {
  fixture = await startStackWithClients([ADELE, ALEX, MEGAN]);
  stack = fixture.stack;
});
afterAll(() => fixture.close());

const respond = (user: SampleUser, args: Record<string, unknown>) => call(fixture.clientOf(user), 'respond_to_event', args);
const eventOf = (user: SampleUser, id: string) => stack.graph.dataOf(user).events.find((event) => event.id === id);
const inboxOf = (user: SampleUser) => messagesIn(stack.graph.dataOf(user), 'inbox');
const everything = () => JSON.stringify([ADELE, ALEX, MEGAN].map((user) => [stack.graph.dataOf(user).events, stack.graph.dataOf(user).messages]));
const since = (from: number) => stack.graph.requests.slice(from).map((request) => [request.method, decodeURIComponent(request.path), request.status, request.body]);

// Alex is invited to Adele's stand-up and, optionally, to Lynne's brand workshop.
const STANDUP = 'alex-event-000';
const WORKSHOP = 'alex-event-004';

describe('respond_to_event', () => {
  it('tentatively accepts for the invitee and sends the organizer the answer with the comment', async () => {
    const inbox = inboxOf(ADELE).length;
    const from = stack.graph.requests.length;
    const result = await respond(ALEX, { id: STANDUP, response: 'tentativelyAccept', comment: 'Might be late.' });
    expect(structuredOf(result, respondToEvent.output)).toEqual({ id: STANDUP, subject: 'Retail team stand-up', response: 'tentativelyAccepted', changed: true });
    expect(since(from)).toEqual([
      ['GET', `/v1.0/me/events/${STANDUP}`, 200, undefined],
      ['POST', `/v1.0/me/events/${STANDUP}/tentativelyAccept`, 202, { sendResponse: true, comment: 'Might be late.' }],
    ]);
    expect(eventOf(ALEX, STANDUP)).toMatchObject({ responseStatus: { response: 'tentativelyAccepted' }, showAs: 'tentative' });
    expect(inboxOf(ADELE)).toHaveLength(inbox + 1);
    expect(inboxOf(ADELE).at(-1)).toMatchObject({ subject: 'Tentative: Retail team stand-up', from: { emailAddress: { address: ALEX.upn } }, body: { content: 'Might be late.' } });
  });

  it('does not answer again what the meeting already says: no write, nothing sent (idempotent)', async () => {
    const before = everything();
    const from = stack.graph.requests.length;
    const result = await respond(ALEX, { id: STANDUP, response: 'tentativelyAccept', comment: 'Might be late.' });
    expect(structuredOf(result, respondToEvent.output)).toMatchObject({ response: 'tentativelyAccepted', changed: false });
    expect(since(from).map(([method]) => method)).toEqual(['GET']);
    expect(everything()).toBe(before);
  });

  it('answers without telling the organizer when sendResponse is false', async () => {
    const inbox = inboxOf(ADELE).length;
    const from = stack.graph.requests.length;
    const result = await respond(ALEX, { id: STANDUP, response: 'accept', sendResponse: false });
    expect(structuredOf(result, respondToEvent.output)).toMatchObject({ response: 'accepted', changed: true });
    expect(since(from).at(-1)).toEqual(['POST', `/v1.0/me/events/${STANDUP}/accept`, 202, { sendResponse: false }]);
    expect(eventOf(ALEX, STANDUP)).toMatchObject({ responseStatus: { response: 'accepted' }, showAs: 'busy' });
    expect(inboxOf(ADELE)).toHaveLength(inbox);
    expect(JSON.stringify(result.content)).toMatch(/organizer was not told/);
  });

  it('declines, which takes the meeting off the invitee\'s calendar', async () => {
    const result = await respond(ALEX, { id: WORKSHOP, response: 'decline', comment: 'Out that day.' });
    expect(structuredOf(result, respondToEvent.output)).toMatchObject({ subject: 'Brand workshop', response: 'declined', changed: true });
    expect(eventOf(ALEX, WORKSHOP)).toBeUndefined();
    expect(JSON.stringify(result.content)).toMatch(/no longer on your calendar/);
  });

  it.each([
    ['the organizer of the meeting', 'adele-event-000', ORGANIZER_CANNOT_RESPOND],
    ['a meeting its organizer cancelled', 'adele-event-006', CANCELLED_CANNOT_RESPOND],
  ])('refuses %s with a clear error, before any write', async (_case, id, message) => {
    const before = everything();
    const from = stack.graph.requests.length;
    const result = await respond(ADELE, { id, response: 'accept' });
    expect(errorCode(result)).toBe('bad_request');
    expect(JSON.stringify(result.content)).toContain(message.slice(0, 40));
    expect(since(from).map(([method]) => method)).toEqual(['GET']);
    expect(everything()).toBe(before);
  });

  it('the local Graph answers an organizer\'s own answer with 400, as Graph does', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await stack.idp.sign({ aud: GRAPH_AUDIENCE, iss: stack.idp.issuer(ADELE.tid), tid: ADELE.tid, oid: ADELE.oid, scp: 'Calendars.ReadWrite', iat: now, nbf: now, exp: now + 600 });
    const answer = await fetch(`${stack.graph.url}/v1.0/me/events/adele-event-000/accept`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(answer.status).toBe(400);
  });

  it('gives other users not_found for the invitee\'s meeting and changes nothing anywhere', async () => {
    const before = everything();
    for (const user of [ADELE, MEGAN]) {
      for (const response of ['accept', 'decline']) expect(errorCode(await respond(user, { id: 'alex-event-000', response })), user.key).toBe('not_found');
    }
    expect(everything()).toBe(before);
  });

  it('refuses an unknown answer before calling Graph', async () => {
    const from = stack.graph.requests.length;
    expect(errorCode(await respond(ALEX, { id: STANDUP, response: 'maybe' }))).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(from);
  });

  it('asks the OBO exchange for Calendars.ReadWrite only', async () => {
    // A fresh client: MSAL answers a repeated (assertion, scopes) pair from its cache without an exchange.
    const client = await clientFor(stack, ALEX);
    const obo = stack.idp.oboRequests.length;
    await call(client, 'respond_to_event', { id: STANDUP, response: 'accept' });
    await client.close();
    expect(stack.idp.oboRequests.slice(obo).map((request) => request.scopes)).toEqual([['Calendars.ReadWrite']]);
  });
});

describe('confirmation', () => {
  const confirm = (args: Record<string, unknown>) => respondToEvent.confirm?.(respondToEvent.input.parse({ id: 'e1', ...args }));

  it('asks nothing for an accept that stays on the user\'s calendar', () => {
    expect(confirm({ response: 'accept', sendResponse: false })).toBeUndefined();
    expect(confirm({ response: 'tentativelyAccept', sendResponse: false })).toBeUndefined();
  });

  it('asks before telling the organizer, with the comment, and before a decline takes the meeting off the calendar', () => {
    expect(confirm({ response: 'accept', comment: 'See you' })).toEqual({ action: 'Accept meeting e1 and send the organizer your response', targets: ['The organizer of meeting e1'], preview: 'See you' });
    expect(confirm({ response: 'decline', sendResponse: false })).toEqual({ action: 'Decline meeting e1 without telling the organizer; it leaves your calendar', targets: ['Your calendar: meeting e1'] });
  });
});
