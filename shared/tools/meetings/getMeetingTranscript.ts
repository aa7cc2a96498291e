// get_meeting_transcript: what was said in a Teams meeting of the user's calendar, by speaker, from its transcript, a page at a time.
import * as z from 'zod';
import { decodeCursor, encodeCursor } from '../../graph/cursor.js';
import type { Graph } from '../../graph/createGraph.js';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { cursorInput, graphId, lazily, nextCursorOutput } from '../schemas.js';
import { ToolError } from '../toolError.js';
import { readTranscriptLines, type TranscriptLine } from './transcriptLines.js';

const TOOL = 'get_meeting_transcript';
/** A transcript of a long meeting is a few hundred KiB of WebVTT; past this it is refused as `too_large`. */
export const MAX_TRANSCRIPT_BYTES = 4 * 1024 * 1024;
/** Text a page holds at most, so an agent reads a long meeting in parts. */
export const PAGE_CHARS = 24_000;
const MAX_LINES = 20_000;
const MAX_LINE_CHARS = 2_000;
/** Transcripts of one meeting listed at most (a meeting transcribed, stopped and restarted has several). */
const MAX_TRANSCRIPTS = 20;

const EXPIRY_HINT = 'Transcripts exist only if transcription was turned on in the meeting, appear some minutes after it ends, and are kept only until the meeting expires.';

const Line = lazily(() => z.object({
  speaker: z.string().optional(),
  at: z.string().describe('h:mm:ss into the recording'),
  text: z.string(),
}));

const Transcript = lazily(() => z.object({ id: z.string(), createdDateTime: z.string().optional() }));

// Graph's answers, read loosely: only what is used, each checked.
const EventAnswer = lazily(() => z.object({ subject: z.string().nullish(), onlineMeeting: z.object({ joinUrl: z.string().max(4096).nullish() }).loose().nullish() }).loose());
const MeetingsAnswer = lazily(() => z.object({ value: z.array(z.object({ id: graphId() }).loose()) }).loose());
const TranscriptsAnswer = lazily(() => z.object({ value: z.array(z.object({ id: graphId(), createdDateTime: z.string().max(64).nullish() }).loose()) }).loose());

function answer<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new GraphError('upstream_invalid', `Microsoft Graph answered with something that is not ${what}`);
  return parsed.data;
}

/** A transcript request Graph refused: the tenant's switch, a meeting gone, or the usual Graph error. */
function transcriptFailure(error: unknown): unknown {
  if (!(error instanceof GraphError)) return error;
  if (error.status === 403 && (error.innerCode === 'GraphAccessToTranscriptsDisabled' || error.graphCode === 'GraphAccessToTranscriptsDisabled')) {
    return new ToolError('transcripts_disabled', 'Your organization has turned off access to meeting transcripts through Microsoft Graph.', 'A Teams administrator can allow it (Teams admin center, meeting settings, transcript API access); until then, read the transcript in Teams.', { cause: error });
  }
  if (error.code === 'not_found') {
    return new ToolError('no_transcript', 'This meeting has no transcript any more: it has expired, or its transcript was deleted.', EXPIRY_HINT, { cause: error });
  }
  return error;
}

interface Position {
  readonly meetingId: string;
  readonly transcriptId: string;
  readonly line: number;
}

/*
 * The cursor holds the transcript's content URL (so decodeCursor keeps it under the user's online meetings) and the
 * event it was found from, so it cannot be replayed for another event; `line` is where the next page starts.
 */
function encodePosition(graph: Graph, eventId: string, position: Position): string {
  const path = `/me/onlineMeetings/${encodeURIComponent(position.meetingId)}/transcripts/${encodeURIComponent(position.transcriptId)}/content`;
  return encodeCursor(TOOL, `${graph.apiBase}${path}?${new URLSearchParams({ event: eventId, line: String(position.line) }).toString()}`);
}

function decodePosition(graph: Graph, eventId: string, cursor: string): Position {
  const url = new URL(decodeCursor(TOOL, cursor, `${graph.apiBase}/me/onlineMeetings`));
  const segments = url.pathname.slice(new URL(graph.apiBase).pathname.length).split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return '';
    }
  });
  const [, me, meetings, meetingId, transcripts, transcriptId, content, ...rest] = segments;
  const line = Number(url.searchParams.get('line'));
  const shaped = me === 'me' && meetings === 'onlineMeetings' && transcripts === 'transcripts' && content === 'content' && rest.length === 0;
  if (!shaped || !graphId().safeParse(meetingId).success || !graphId().safeParse(transcriptId).success || url.searchParams.get('event') !== eventId
    || !Number.isSafeInteger(line) || line < 1 || line > MAX_LINES) {
    throw new GraphError('cursor_invalid', `The cursor was not issued by ${TOOL} for this event`);
  }
  return { meetingId: meetingId ?? '', transcriptId: transcriptId ?? '', line };
}

/** The Teams meeting of an event, found by its join link (Graph finds online meetings by nothing an event holds but that). */
async function meetingOf(graph: Graph, eventId: string): Promise<{ meetingId: string; subject: string | undefined }> {
  const event = answer(EventAnswer(), await graph.get<unknown>(`/me/events/${encodeURIComponent(eventId)}`, { query: { $select: 'subject,onlineMeeting' } }), 'an event');
  const joinUrl = event.onlineMeeting?.joinUrl ?? undefined;
  if (joinUrl === undefined || joinUrl === '') {
    throw new ToolError('no_online_meeting', 'This event has no Teams meeting, so it has no transcript.', 'Check the event with get_event: only Teams meetings are transcribed.');
  }
  // An OData string literal: a quote inside is doubled.
  const filter = `JoinWebUrl eq '${joinUrl.replaceAll('\'', '\'\'')}'`;
  const meetings = answer(MeetingsAnswer(), await graph.get<unknown>('/me/onlineMeetings', { query: { $filter: filter } }), 'a list of online meetings');
  const meeting = meetings.value[0];
  if (meeting === undefined) {
    throw new ToolError('no_online_meeting', 'Microsoft Teams has no meeting you can see for this event\'s join link.', 'The meeting may be of another organization or provider; open it in Teams.');
  }
  return { meetingId: meeting.id, subject: event.subject ?? undefined };
}

async function transcriptsOf(graph: Graph, meetingId: string): Promise<z.output<ReturnType<typeof Transcript>>[]> {
  const listed = answer(TranscriptsAnswer(), await graph.get<unknown>(`/me/onlineMeetings/${encodeURIComponent(meetingId)}/transcripts`), 'a list of transcripts');
  return listed.value.slice(0, MAX_TRANSCRIPTS)
    .map((transcript) => ({ id: transcript.id, ...(transcript.createdDateTime != null && { createdDateTime: transcript.createdDateTime }) }))
    .sort((a, b) => (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? ''));
}

async function linesOf(graph: Graph, meetingId: string, transcriptId: string, signal: AbortSignal): Promise<readonly TranscriptLine[]> {
  const bytes = await graph.getBytes(`/me/onlineMeetings/${encodeURIComponent(meetingId)}/transcripts/${encodeURIComponent(transcriptId)}/content`, {
    query: { $format: 'text/vtt' },
    maxBytes: MAX_TRANSCRIPT_BYTES,
  });
  try {
    return (await readTranscriptLines(new TextDecoder('utf-8').decode(bytes), { maxLines: MAX_LINES, maxLineChars: MAX_LINE_CHARS }, signal)).lines;
  } catch (cause) {
    if (!(cause instanceof TypeError)) throw cause;
    throw new GraphError('upstream_invalid', 'Microsoft Graph answered with a transcript that is not WebVTT', { cause });
  }
}

/** The lines from `first` that fit in a page; at least one. */
function pageOf(lines: readonly TranscriptLine[], first: number): { lines: TranscriptLine[]; next: number | undefined } {
  const page: TranscriptLine[] = [];
  let chars = 0;
  let index = first;
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    if (page.length > 0 && chars + line.text.length > PAGE_CHARS) break;
    page.push(line);
    chars += line.text.length;
  }
  return { lines: page, next: index < lines.length ? index : undefined };
}

export const getMeetingTranscript = defineTool({
  name: TOOL,
  title: 'Get meeting transcript',
  description: 'What was said in a Teams meeting on your calendar, by speaker, from its transcript (the latest unless transcriptId is given), a page at a time.',
  scopes: ['Calendars.Read', 'OnlineMeetings.Read', 'OnlineMeetingTranscript.Read.All'],
  input: () => z.object({
    eventId: graphId().describe('Event id (list_events)'),
    transcriptId: graphId().optional().describe('From transcripts; default the latest'),
    cursor: cursorInput(),
  }),
  output: () => z.object({
    subject: z.string().optional(),
    transcriptId: z.string(),
    transcripts: z.array(Transcript()).describe('Every transcript of the meeting, latest first'),
    lines: z.array(Line()),
    nextCursor: nextCursorOutput(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph, signal }) => {
    const position = input.cursor === undefined ? undefined : decodePosition(graph, input.eventId, input.cursor);
    let subject: string | undefined;
    let meetingId = position?.meetingId;
    if (meetingId === undefined) ({ meetingId, subject } = await meetingOf(graph, input.eventId));
    const transcripts = await transcriptsOf(graph, meetingId).catch((error: unknown) => {
      throw transcriptFailure(error);
    });
    const transcriptId = position?.transcriptId ?? input.transcriptId ?? transcripts[0]?.id;
    if (transcriptId === undefined) throw new ToolError('no_transcript', 'This meeting has no transcript yet.', EXPIRY_HINT);
    if (!transcripts.some((transcript) => transcript.id === transcriptId)) {
      throw new ToolError('no_transcript', 'This meeting has no transcript with that id.', 'Call again without transcriptId for the latest, or pick one from transcripts.');
    }
    const all = await linesOf(graph, meetingId, transcriptId, signal).catch((error: unknown) => {
      throw transcriptFailure(error);
    });
    const page = pageOf(all, position?.line ?? 0);
    const nextCursor = page.next === undefined ? undefined : encodePosition(graph, input.eventId, { meetingId, transcriptId, line: page.next });
    const text = page.lines.length === 0
      ? 'The transcript is empty.'
      : `${page.lines.map((line) => `[${line.at}] ${line.speaker ?? 'Unknown'}: ${line.text}`).join('\n')}${nextCursor === undefined ? '' : '\nMore: call again with nextCursor.'}`;
    return { structured: { ...(subject !== undefined && { subject }), transcriptId, transcripts, lines: page.lines, nextCursor }, text };
  },
});
