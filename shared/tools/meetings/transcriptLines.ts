// A Teams WebVTT transcript as speaker-attributed lines of plain text: one linear pass, no regex that can backtrack, every count capped.
import { setImmediate } from 'node:timers/promises';
import { DocumentError } from '../../documents/documentError.js';
//
// Not a general WebVTT parser: what Teams writes (a WEBVTT header, cues with an optional id, a timing line and
// `<v Speaker>text</v>` payloads) and what a hostile answer could hold instead. The W3C's webvtt-parser builds the
// whole cue tree recursively (4 MiB of cues took 3 s here, and nested tags overflowed its stack).

export interface TranscriptLine {
  /** The voice tag's name; absent for a cue without one. */
  readonly speaker?: string;
  /** When the first cue of the line starts, from the start of the recording: `h:mm:ss`. */
  readonly at: string;
  readonly text: string;
}

export interface TranscriptLinesOptions {
  /** Lines kept at most; past it the rest is dropped and `truncated` set. */
  readonly maxLines: number;
  /** One speaker's consecutive cues are merged into one line up to this many characters. */
  readonly maxLineChars: number;
}

export interface ParsedTranscript {
  readonly lines: readonly TranscriptLine[];
  readonly truncated: boolean;
}

const MAX_SPEAKER_CHARS = 120;
/**
 * Lines, and characters, read between two turns of the event loop: a few milliseconds either way, so other requests
 * run while a long transcript is read, whether it is many short lines or a few long ones.
 */
const LINES_PER_TURN = 5_000;
const CHARS_PER_TURN = 256 * 1024;
/** Characters of one cue's payload read at most: a cue is a sentence or two. */
const MAX_CUE_CHARS = 4_000;
// Anchored, with bounded repeats and nothing optional that overlaps: linear on any line (it only ever sees 40 characters).
const TIMING = /^(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)\.\d{3}[ \t]+-->/;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', nbsp: ' ', lrm: '', rlm: '' };
const ENTITY = /&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,5});/g;

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      // Lone surrogates and control characters are not text: leave the entity as written.
      return code > 0x1f && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Text between tags, in one pass. An unclosed `<` is a tag that runs to the end of the cue, as WebVTT reads it (a
 * `<` that is text is written `&lt;`): kept as text, it could meet a `>` of the next cue when one speaker's cues are
 * merged, and read as a tag there.
 */
function withoutTags(payload: string): string {
  let out = '';
  let at = 0;
  while (at < payload.length) {
    const open = payload.indexOf('<', at);
    if (open === -1) return out + payload.slice(at);
    out += payload.slice(at, open);
    const close = payload.indexOf('>', open + 1);
    if (close === -1) return out;
    at = close + 1;
  }
  return out;
}

/** `<v Speaker>`, `<v.loud Speaker>`: the name after the tag's first blank, up to its `>`. */
function speakerOf(payload: string): string | undefined {
  if (!payload.startsWith('<v') || !(payload[2] === ' ' || payload[2] === '\t' || payload[2] === '.')) return undefined;
  const close = payload.indexOf('>', 2);
  if (close === -1 || close > 2 + MAX_SPEAKER_CHARS * 4) return undefined;
  const annotation = payload.slice(2, close);
  const blank = annotation.search(/[ \t]/);
  if (blank === -1) return undefined;
  const name = decodeEntities(annotation.slice(blank + 1)).replace(/\s+/g, ' ').trim().slice(0, MAX_SPEAKER_CHARS);
  return name === '' ? undefined : name;
}

function clock(match: RegExpExecArray): string {
  return `${Number(match[1] ?? 0)}:${match[2] ?? '00'}:${match[3] ?? '00'}`;
}

/**
 * The lines of a transcript in WebVTT, in one call. Throws `TypeError` when the text is not WebVTT (no `WEBVTT`
 * signature): whatever else Graph sent is no transcript.
 */
export function transcriptLines(vtt: string, options: TranscriptLinesOptions): ParsedTranscript {
  const steps = parse(vtt, options);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * `transcriptLines`, giving the event loop a turn every `LINES_PER_TURN` lines or `CHARS_PER_TURN` characters. Throws `TypeError` as it does, and
 * `DocumentError` `cancelled` once `signal` aborts (the request's deadline passed, or its client went away).
 */
export async function readTranscriptLines(vtt: string, options: TranscriptLinesOptions, signal: AbortSignal): Promise<ParsedTranscript> {
  const steps = parse(vtt, options);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await setImmediate();
    if (signal.aborted) throw new DocumentError('cancelled', 'The request ended before the transcript was read');
  }
}

function* parse(vtt: string, options: TranscriptLinesOptions): Generator<void, ParsedTranscript> {
  const start = vtt.startsWith('\uFEFF') ? 1 : 0;
  if (!vtt.startsWith('WEBVTT', start) || !['', ' ', '\t', '\r', '\n'].includes(vtt.charAt(start + 6))) throw new TypeError('not a WebVTT document');
  const lines: TranscriptLine[] = [];
  let truncated = false;
  let header = true;
  let at: string | undefined;
  let skipping = false;
  let payload = '';

  const flush = (): void => {
    const cue = payload;
    payload = '';
    if (at === undefined || cue === '') return;
    const speaker = speakerOf(cue);
    const text = decodeEntities(withoutTags(cue)).replace(/\s+/g, ' ').trim();
    if (text === '') return;
    const last = lines.at(-1);
    if (last !== undefined && last.speaker === speaker && last.text.length + text.length < options.maxLineChars) {
      lines[lines.length - 1] = { ...last, text: `${last.text} ${text}` };
    } else if (lines.length < options.maxLines) {
      lines.push({ ...(speaker !== undefined && { speaker }), at, text: text.slice(0, options.maxLineChars) });
    } else {
      truncated = true;
    }
  };

  let position = start;
  let linesThisTurn = 0;
  let turnStart = position;
  while (position <= vtt.length && !truncated) {
    if (++linesThisTurn > LINES_PER_TURN || position - turnStart >= CHARS_PER_TURN) {
      yield;
      linesThisTurn = 1;
      turnStart = position;
    }
    let end = vtt.indexOf('\n', position);
    if (end === -1) end = vtt.length;
    const line = vtt.charCodeAt(end - 1) === 13 ? vtt.slice(position, end - 1) : vtt.slice(position, end);
    position = end + 1;
    if (header) {
      header = line !== '';
      continue;
    }
    if (line === '') {
      flush();
      at = undefined;
      skipping = false;
      continue;
    }
    if (skipping) continue;
    if (at === undefined) {
      // A cue id, NOTE or STYLE line comes before the timing; a block without timing is skipped whole.
      if (!line.includes('-->')) continue;
      const timing = TIMING.exec(line.slice(0, 40));
      if (timing === null) skipping = true;
      else at = clock(timing);
      continue;
    }
    if (payload.length < MAX_CUE_CHARS) payload = payload === '' ? line.slice(0, MAX_CUE_CHARS) : `${payload}\n${line.slice(0, MAX_CUE_CHARS - payload.length)}`;
  }
  flush();
  return { lines, truncated };
}
