// Local Graph: the Teams meetings of each user's calendar, found by join link, and their transcripts as WebVTT.
import { createHash } from 'node:crypto';
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import type { UserData } from './userData.js';

export interface StoredTranscript {
  readonly id: string;
  readonly createdDateTime: string;
  /** The WebVTT Teams writes: `<v Speaker>` voice tags, one sentence or so a cue. */
  vtt: string;
}

export interface StoredMeeting {
  readonly id: string;
  readonly joinWebUrl: string;
  readonly subject: string;
  readonly transcripts: StoredTranscript[];
  /** Past its expiry Teams deletes the meeting's artifacts: its transcripts answer 404. */
  expired: boolean;
}

/** Tenants whose administrator turned Graph's access to transcripts off (the Teams "transcript API access" switch). */
export const TRANSCRIPTS_DISABLED_TENANTS = new Set<string>();

const MEETINGS_READ = ['OnlineMeetings.Read', 'OnlineMeetings.ReadWrite'];
const TRANSCRIPTS_READ = ['OnlineMeetingTranscript.Read.All'];

// Kept beside each user's data rather than in it: every Teams meeting of their calendar, made when first asked for.
const meetings = new WeakMap<UserData, StoredMeeting[]>();

/** The sample transcript of Adele's stand-up: what Teams writes, cue ids and all. */
export const STANDUP_VTT = [
  'WEBVTT',
  '',
  '3f2a9c1e-0d4b-4e7a-9b21-6c8d0e1f2a3b/12-0',
  '00:00:03.120 --> 00:00:06.480',
  '<v Adele Vance>Morning everyone, let&apos;s keep this short.</v>',
  '',
  '3f2a9c1e-0d4b-4e7a-9b21-6c8d0e1f2a3b/12-1',
  '00:00:06.480 --> 00:00:09.900',
  '<v Adele Vance>Redmond store figures are in &amp; they look good.</v>',
  '',
  '7b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/20-0',
  '00:00:10.250 --> 00:00:14.010',
  '<v Alex Wilber>Stock on the Surface Go is low; I will reorder today.</v>',
  '',
  '3f2a9c1e-0d4b-4e7a-9b21-6c8d0e1f2a3b/31-0',
  '00:00:14.600 --> 00:00:16.000',
  '<v Adele Vance>Thanks Alex. That is all.</v>',
  '',
].join('\r\n');

function meetingId(data: UserData, joinWebUrl: string): string {
  // Teams meeting ids are base64 of the organizer and thread; any stable opaque id will do here.
  return `MSo${createHash('sha256').update(`${data.user.oid}:${joinWebUrl}`).digest('base64url').slice(0, 40)}`;
}

/** The user's Teams meetings: one for each online event of their calendar, the seeded stand-up with its transcript. */
export function meetingsOf(data: UserData): StoredMeeting[] {
  let stored = meetings.get(data);
  if (stored === undefined) {
    stored = [];
    meetings.set(data, stored);
  }
  for (const event of data.events) {
    const joinWebUrl = event.onlineMeeting?.joinUrl;
    if (typeof joinWebUrl !== 'string' || stored.some((meeting) => meeting.joinWebUrl === joinWebUrl)) continue;
    const standup = data.user.key === 'adele' && event.subject === 'Retail team stand-up';
    stored.push({
      id: meetingId(data, joinWebUrl),
      joinWebUrl,
      subject: event.subject ?? '',
      transcripts: standup ? [{ id: 'MSMjMCMjstandup-transcript-1', createdDateTime: event.end?.dateTime ? `${event.end.dateTime.slice(0, 19)}Z` : new Date().toISOString(), vtt: STANDUP_VTT }] : [],
      expired: false,
    });
  }
  return stored;
}

function decoded(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return '';
  }
}

function findMeeting({ data, params }: GraphContext): StoredMeeting | undefined {
  const id = decoded(params[0]);
  return meetingsOf(data).find((meeting) => meeting.id === id);
}

function transcriptsRefused({ data }: GraphContext): GraphReply | undefined {
  if (!TRANSCRIPTS_DISABLED_TENANTS.has(data.user.tid)) return undefined;
  return { status: 403, body: { error: { code: 'Forbidden', message: 'Graph API access to transcripts is disabled for this tenant.', innerError: { code: 'GraphAccessToTranscriptsDisabled' } } } };
}

const meetingNotFound = (): GraphReply => graphError(404, 'NotFound', 'The online meeting could not be found.');

function listMeetings({ data, url }: GraphContext): GraphReply {
  const filter = url.searchParams.get('$filter');
  // Graph finds a user's online meetings by join link, join meeting id or video teleconference id; it lists none.
  const match = filter === null ? null : /^JoinWebUrl eq '((?:[^']|'')*)'$/i.exec(filter.trim());
  if (match === null) return graphError(400, 'BadRequest', 'Filter on JoinWebUrl is required.');
  const joinWebUrl = (match[1] ?? '').replaceAll('\'\'', '\'');
  const found = meetingsOf(data).filter((meeting) => meeting.joinWebUrl === joinWebUrl);
  return { status: 200, body: { value: found.map((meeting) => ({ id: meeting.id, joinWebUrl: meeting.joinWebUrl, subject: meeting.subject })) } };
}

function listTranscripts(context: GraphContext): GraphReply {
  const refused = transcriptsRefused(context);
  if (refused !== undefined) return refused;
  const meeting = findMeeting(context);
  if (meeting === undefined || meeting.expired) return meetingNotFound();
  return { status: 200, body: { value: meeting.transcripts.map((transcript) => ({ id: transcript.id, meetingId: meeting.id, createdDateTime: transcript.createdDateTime })) } };
}

function transcriptContent(context: GraphContext): GraphReply {
  const refused = transcriptsRefused(context);
  if (refused !== undefined) return refused;
  const meeting = findMeeting(context);
  if (meeting === undefined || meeting.expired) return meetingNotFound();
  const transcript = meeting.transcripts.find((candidate) => candidate.id === decoded(context.params[1]));
  if (transcript === undefined) return graphError(404, 'NotFound', 'The transcript could not be found.');
  const format = context.url.searchParams.get('$format');
  if (format !== null && format !== 'text/vtt') return graphError(400, 'BadRequest', `The format ${format} is not supported.`);
  return { status: 200, bytes: Buffer.from(transcript.vtt, 'utf8'), headers: { 'content-type': 'text/vtt' } };
}

export const meetingsRoutes: readonly GraphRoute[] = [
  { method: 'GET', pattern: /^\/me\/onlineMeetings$/, anyScope: MEETINGS_READ, handle: listMeetings },
  { method: 'GET', pattern: /^\/me\/onlineMeetings\/([^/]+)\/transcripts$/, anyScope: TRANSCRIPTS_READ, handle: listTranscripts },
  { method: 'GET', pattern: /^\/me\/onlineMeetings\/([^/]+)\/transcripts\/([^/]+)\/content$/, anyScope: TRANSCRIPTS_READ, handle: transcriptContent },
];
