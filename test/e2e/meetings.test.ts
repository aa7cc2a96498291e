// get_meeting_transcript over a real MCP client and HTTP: from a calendar event to its Teams meeting and transcript, paged, each failure its own code, isolated per user.
import type { McpClient } from '../support/mcpClient.js';
import { afterEach, describe, expect, it } from 'vitest';
import { getMeetingTranscript, MAX_TRANSCRIPT_BYTES, PAGE_CHARS } from '../../shared/tools/meetings/getMeetingTranscript.js';
import { meetingsOf, STANDUP_VTT, TRANSCRIPTS_DISABLED_TENANTS, type StoredMeeting } from '../../sandbox/graph/meetingsRoutes.js';
import type { UserData, WithId } from '../../sandbox/graph/userData.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { useConnectedStack } from '../support/connectedStack.js';
import type { TestStack } from '../support/testStack.js';
import { callTool, connectAs, errorCode, expectListed, READ_ONLY, structured } from '../support/toolCalls.js';
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';

let stack: TestStack;
let adele: McpClient;
let alex: McpClient;
let megan: McpClient;
useConnectedStack((connected) => ({ stack, adele, alex, megan } = connected));
afterEach(() => {
  TRANSCRIPTS_DISABLED_TENANTS.clear();
  stack.idp.oboFailures.clear();
});

const data = (user: SampleUser): UserData => stack.graph.dataOf(user);
const eventNamed = (user: SampleUser, subject: string): WithId<MicrosoftGraph.Event> => data(user).events.find((event) => event.subject === subject)!;
const meetingOf = (user: SampleUser, event: MicrosoftGraph.Event): StoredMeeting => meetingsOf(data(user)).find((meeting) => meeting.joinWebUrl === event.onlineMeeting?.joinUrl)!;
const standup = () => eventNamed(ADELE, 'Retail team stand-up');

describe('tools/list', () => {
  it('lists get_meeting_transcript as read-only, with a short description and a small entry', async () => {
    await expectListed(adele, { get_meeting_transcript: READ_ONLY }, 1_400);
  });
});

describe('get_meeting_transcript', () => {
  it('reads the transcript of a Teams meeting on the calendar, by speaker, from the event id alone', async () => {
    const result = structured(getMeetingTranscript, await callTool(adele, 'get_meeting_transcript', { eventId: standup().id }));
    expect(result).toEqual({
      subject: 'Retail team stand-up',
      transcriptId: 'MSMjMCMjstandup-transcript-1',
      transcripts: [{ id: 'MSMjMCMjstandup-transcript-1', createdDateTime: expect.any(String) as string }],
      lines: [
        { speaker: 'Adele Vance', at: '0:00:03', text: 'Morning everyone, let\'s keep this short. Redmond store figures are in & they look good.' },
        { speaker: 'Alex Wilber', at: '0:00:10', text: 'Stock on the Surface Go is low; I will reorder today.' },
        { speaker: 'Adele Vance', at: '0:00:14', text: 'Thanks Alex. That is all.' },
      ],
    });
  });

  it('asks the OBO exchange for exactly its three scopes, and asks Graph for WebVTT', async () => {
    const client = await connectAs(stack, ADELE);
    const obo = stack.idp.oboRequests.length;
    const before = stack.graph.requests.length;
    expect((await callTool(client, 'get_meeting_transcript', { eventId: standup().id })).isError).toBeFalsy();
    await client.close();
    expect(stack.idp.oboRequests.slice(obo).map((request) => request.scopes)).toEqual([['Calendars.Read', 'OnlineMeetings.Read', 'OnlineMeetingTranscript.Read.All']]);
    const content = stack.graph.requests.slice(before).find((request) => request.path.endsWith('/content'));
    expect(new URL(content?.url ?? '', stack.graph.url).searchParams.get('$format')).toBe('text/vtt');
  });

  it('finds the meeting by a join link holding a quote, as an OData literal', async () => {
    const event = eventNamed(ADELE, 'Adele\'s office hours #1');
    event.onlineMeeting = { joinUrl: `${event.onlineMeeting?.joinUrl ?? ''}?context=%7B'Tid':'x'%7D` };
    // Found (no_transcript), not missed (no_online_meeting).
    expect(errorCode(await callTool(adele, 'get_meeting_transcript', { eventId: event.id }))).toBe('no_transcript');
  });

  it('pages a long transcript by line, with nothing lost or repeated, the cursor bound to its event', async () => {
    const event = eventNamed(ADELE, 'Adele\'s office hours #2');
    const cues = Array.from({ length: 1_500 }, (_, index) => `cue-${index}\n00:${String(Math.floor(index / 60) % 60).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}.000 --> 00:00:59.000\n<v Speaker ${index % 2}>Sentence number ${index} of the long meeting.</v>\n`);
    meetingOf(ADELE, event).transcripts.push({ id: 'long-1', createdDateTime: '2026-01-01T10:00:00Z', vtt: `WEBVTT\n\n${cues.join('\n')}` });
    const texts: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = structured(getMeetingTranscript, await callTool(adele, 'get_meeting_transcript', { eventId: event.id, ...(cursor !== undefined && { cursor }) }));
      expect(page.lines.reduce((sum, line) => sum + line.text.length, 0)).toBeLessThanOrEqual(PAGE_CHARS);
      texts.push(...page.lines.map((line) => line.text));
      cursor = page.nextCursor;
      pages++;
      if (pages === 1) {
        expect(errorCode(await callTool(adele, 'get_meeting_transcript', { eventId: standup().id, cursor }))).toBe('cursor_invalid');
      }
    } while (cursor !== undefined && pages < 20);
    expect(pages).toBeGreaterThan(1);
    expect(cursor).toBeUndefined();
    expect(texts).toHaveLength(1_500);
    expect(texts.map((text) => Number(/number (\d+)/.exec(text)?.[1]))).toEqual(Array.from({ length: 1_500 }, (_, index) => index));
  });

  it('is no_online_meeting for an event without a Teams meeting', async () => {
    const event = data(ADELE).events.find((candidate) => candidate.onlineMeeting == null)!;
    expect(errorCode(await callTool(adele, 'get_meeting_transcript', { eventId: event.id }))).toBe('no_online_meeting');
  });

  it('is no_transcript for a meeting not transcribed, and for one that has expired', async () => {
    expect(errorCode(await callTool(adele, 'get_meeting_transcript', { eventId: eventNamed(ADELE, 'Adele\'s office hours #3').id }))).toBe('no_transcript');
    const meeting = meetingOf(ADELE, standup());
    meeting.expired = true;
    try {
      expect(errorCode(await callTool(adele, 'get_meeting_transcript', { eventId: standup().id }))).toBe('no_transcript');
    } finally {
      meeting.expired = false;
    }
  });

  it('is no_transcript for a transcript id the meeting does not have', async () => {
    expect(errorCode(await callTool(adele, 'get_meeting_transcript', { eventId: standup().id, transcriptId: 'not-one' }))).toBe('no_transcript');
  });

  it('is transcripts_disabled when the tenant turned Graph\'s access to transcripts off', async () => {
    TRANSCRIPTS_DISABLED_TENANTS.add(ADELE.tid);
    const result = await callTool(adele, 'get_meeting_transcript', { eventId: standup().id });
    expect(errorCode(result)).toBe('transcripts_disabled');
    expect(JSON.stringify(result)).not.toContain('Morning everyone');
  });

  it('is consent_required, with the admin-consent URL, while no administrator consented to the transcript scope', async () => {
    stack.idp.oboFailures.set(ADELE.oid, { failure: 'consent_required' });
    const client = await connectAs(stack, ADELE);
    const result = await callTool(client, 'get_meeting_transcript', { eventId: standup().id });
    await client.close();
    expect(errorCode(result)).toBe('consent_required');
    expect((result._meta?.['onbehalf/error'] as { consentUrl?: string }).consentUrl).toContain('/adminconsent?client_id=');
  });

  it('refuses a transcript over its byte cap, and one that is not WebVTT', async () => {
    const event = eventNamed(ADELE, 'Adele\'s office hours #4');
    const transcripts = meetingOf(ADELE, event).transcripts;
    transcripts.push({ id: 'huge', createdDateTime: '2026-01-01T10:00:00Z', vtt: `WEBVTT\n\n${'x'.repeat(MAX_TRANSCRIPT_BYTES)}` });
    expect(errorCode(await callTool(adele, 'get_meeting_transcript', { eventId: event.id, transcriptId: 'huge' }))).toBe('too_large');
    transcripts.push({ id: 'json', createdDateTime: '2026-01-01T10:00:00Z', vtt: '{"value":[]}' });
    expect(errorCode(await callTool(adele, 'get_meeting_transcript', { eventId: event.id, transcriptId: 'json' }))).toBe('upstream_invalid');
  });
});

describe('isolation', () => {
  it.each([[ALEX], [MEGAN]] as [SampleUser][])('%o cannot read Adele\'s event, or her transcript', async (user) => {
    const client = user === ALEX ? alex : megan;
    const result = await callTool(client, 'get_meeting_transcript', { eventId: standup().id });
    expect(errorCode(result)).toBe('not_found');
    expect(JSON.stringify(result)).not.toContain('Morning everyone');
  });

  it('gives an invitee only what their own meetings hold, whatever a cursor of Adele\'s names', async () => {
    // Alex's copy of the stand-up is his own meeting, without Adele's transcript.
    expect(errorCode(await callTool(alex, 'get_meeting_transcript', { eventId: eventNamed(ALEX, 'Retail team stand-up').id }))).toBe('no_transcript');
    const event = eventNamed(ADELE, 'Adele\'s office hours #5');
    const cues = Array.from({ length: 1_200 }, (_, index) => `00:00:01.000 --> 00:00:02.000\n<v Adele Vance>Private remark ${index} ${'x'.repeat(40)}.</v>\n`);
    meetingOf(ADELE, event).transcripts.push({ id: 'private-1', createdDateTime: '2026-01-01T10:00:00Z', vtt: `WEBVTT\n\n${cues.join('\n')}` });
    const first = structured(getMeetingTranscript, await callTool(adele, 'get_meeting_transcript', { eventId: event.id }));
    expect(first.nextCursor).toBeDefined();
    const replayed = await callTool(alex, 'get_meeting_transcript', { eventId: event.id, cursor: first.nextCursor });
    expect(errorCode(replayed)).toBe('no_transcript');
    expect(JSON.stringify(replayed)).not.toContain('Private remark');
  });
});

describe('the sample transcript', () => {
  it('is the one the stand-in serves', () => {
    expect(meetingOf(ADELE, standup()).transcripts[0]?.vtt).toBe(STANDUP_VTT);
  });
});
