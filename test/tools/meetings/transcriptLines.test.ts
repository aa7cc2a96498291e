// The WebVTT a transcript arrives as, turned into lines by speaker: what Teams writes, and what a hostile answer could hold instead.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../../../shared/documents/documentError.js';
import { readTranscriptLines, transcriptLines } from '../../../shared/tools/meetings/transcriptLines.js';
import { STANDUP_VTT } from '../../../sandbox/graph/meetingsRoutes.js';

const LIMITS = { maxLines: 1_000, maxLineChars: 2_000 };

describe('transcriptLines', () => {
  it('reads what Teams writes: cue ids skipped, one speaker\'s cues merged, entities decoded', () => {
    expect(transcriptLines(STANDUP_VTT, LIMITS)).toEqual({
      truncated: false,
      lines: [
        { speaker: 'Adele Vance', at: '0:00:03', text: 'Morning everyone, let\'s keep this short. Redmond store figures are in & they look good.' },
        { speaker: 'Alex Wilber', at: '0:00:10', text: 'Stock on the Surface Go is low; I will reorder today.' },
        { speaker: 'Adele Vance', at: '0:00:14', text: 'Thanks Alex. That is all.' },
      ],
    });
  });

  it('takes a byte order mark, hours, classes on the voice, cues without a voice, several payload lines, and NOTE blocks', () => {
    const vtt = '\uFEFFWEBVTT - Teams\n\nNOTE a comment --> with an arrow\n\n01:02:03.000 --> 01:02:04.000\n<v.loud Megan Bowen>First line\nsecond <i>line</i></v>\n\n00:00:01.000 --> 00:00:02.000 align:start\nNobody speaks &#x1F600; &#65; &bogus;\n';
    expect(transcriptLines(vtt, LIMITS).lines).toEqual([
      { speaker: 'Megan Bowen', at: '1:02:03', text: 'First line second line' },
      { at: '0:00:01', text: 'Nobody speaks 😀 A &bogus;' },
    ]);
  });

  it('skips a block whose timing is not a timing, and an empty cue', () => {
    const vtt = 'WEBVTT\n\n1\nxx:00:01.000 --> 00:00:02.000\n<v Eve>hidden</v>\n\n00:00:03.000 --> 00:00:04.000\n\n00:00:05.000 --> 00:00:06.000\n<v Eve>shown</v>\n';
    expect(transcriptLines(vtt, LIMITS).lines).toEqual([{ speaker: 'Eve', at: '0:00:05', text: 'shown' }]);
  });

  it('refuses what is not WebVTT', () => {
    expect(() => transcriptLines('{"value":[]}', LIMITS)).toThrow(TypeError);
    expect(() => transcriptLines('WEBVTTX\n\n', LIMITS)).toThrow(TypeError);
  });

  it('keeps at most maxLines lines, each at most maxLineChars, and says it cut', () => {
    const cues = Array.from({ length: 50 }, (_, index) => `00:00:${String(index % 60).padStart(2, '0')}.000 --> 00:00:59.000\n<v Speaker ${index % 2}>${'word '.repeat(100)}</v>\n`);
    const parsed = transcriptLines(`WEBVTT\n\n${cues.join('\n')}`, { maxLines: 10, maxLineChars: 300 });
    expect(parsed.truncated).toBe(true);
    expect(parsed.lines).toHaveLength(10);
    for (const line of parsed.lines) expect(line.text.length).toBeLessThanOrEqual(300);
  });

  it.each([
    ['an unclosed tag the size of the answer', `WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${'<'.repeat(4 * 1024 * 1024)}`],
    ['tags nested three hundred thousand deep', `WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${'<v a><b><i><u>'.repeat(300_000)}`],
    ['a header of two million lines', `WEBVTT\n${'x\n'.repeat(2_000_000)}`],
    ['a timing line of four MiB', `WEBVTT\n\n00:00:00.000 --> ${'9'.repeat(4 * 1024 * 1024)}\ntext`],
    ['a million entities', `WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${'&amp'.repeat(1_000_000)}`],
    ['a voice tag that never closes', `WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v ${'name '.repeat(800_000)}`],
  ])('reads %s in one bounded pass', (_label, vtt) => {
    const parsed = transcriptLines(vtt, LIMITS);
    expect(parsed.lines.length).toBeLessThanOrEqual(LIMITS.maxLines);
    for (const line of parsed.lines) {
      expect(line.text.length).toBeLessThanOrEqual(LIMITS.maxLineChars);
      expect((line.speaker ?? '').length).toBeLessThanOrEqual(120);
    }
  });

  it('reads an unclosed tag as running to the end of its cue, so merged cues never make one', () => {
    const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nSend it <v CEO\n\n00:00:02.000 --> 00:00:03.000\n> now, approved\n';
    expect(transcriptLines(vtt, LIMITS).lines).toEqual([{ at: '0:00:01', text: 'Send it > now, approved' }]);
  });

  it('either refuses any text as not WebVTT or gives bounded lines without markup', () => {
    const piece = fc.constantFrom('WEBVTT\n\n', '00:00:01.000 --> 00:00:02.000\n', '<v Ann>', '</v>', '<', '>', '&amp;', '&#0;', '\n', '\r\n', 'text ', '-->', 'NOTE ', '<v.x ', '\uFEFF');
    fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), fc.boolean(), (pieces, signed) => {
      const vtt = `${signed ? 'WEBVTT\n\n' : ''}${pieces.join('')}`;
      let parsed;
      try {
        parsed = transcriptLines(vtt, { maxLines: 5, maxLineChars: 50 });
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        expect(signed).toBe(false);
        return;
      }
      expect(parsed.lines.length).toBeLessThanOrEqual(5);
      for (const line of parsed.lines) {
        expect(line.text.length).toBeLessThanOrEqual(50);
        // No tag reaches the text, not even one an unclosed `<` of one cue and a `>` of the next would make once merged.
        expect(line.text).not.toMatch(/<\/?v(?:[ .][^<>]*)?>/);
        expect(line.at).toMatch(/^\d{1,3}:\d{2}:\d{2}$/);
      }
    }));
  });

  describe('read a turn at a time', () => {
    const limits = { maxLines: 50_000, maxLineChars: 2_000 };
    const long = `WEBVTT\n\n${Array.from({ length: 20_000 }, (_, index) => `00:00:01.000 --> 00:00:02.000\n<v Speaker ${index % 2}>line ${index}</v>\n`).join('\n')}`;

    it('gives the same lines, and lets other work run between its turns', async () => {
      let ranBetween = false;
      setImmediate(() => {
        ranBetween = true;
      });
      const parsed = await readTranscriptLines(long, limits, new AbortController().signal);
      expect(ranBetween).toBe(true);
      expect(parsed.lines).toHaveLength(20_000);
      expect(parsed).toEqual(transcriptLines(long, limits));
    });

    it('takes turns by characters too: a few long lines do not hold the event loop for the whole transcript', async () => {
      const longLines = `WEBVTT\n\n${Array.from({ length: 40 }, (_, index) => `00:00:01.000 --> 00:00:02.000\n<v Speaker>${'word '.repeat(20_000)}${index}</v>\n`).join('\n')}`;
      // An immediate that queues itself again runs once per turn of the event loop: it counts the turns taken.
      let turns = 0;
      let reading = true;
      const count = (): void => {
        turns += 1;
        if (reading) setImmediate(count);
      };
      setImmediate(count);
      const parsed = await readTranscriptLines(longLines, limits, new AbortController().signal).finally(() => {
        reading = false;
      });
      expect(parsed).toEqual(transcriptLines(longLines, limits));
      // 4 MiB in 256 KiB turns; without the character bound, all of it in one.
      expect(turns).toBeGreaterThanOrEqual(10);
    });

    it('stops with cancelled once its request ends', async () => {
      const controller = new AbortController();
      const reading = readTranscriptLines(long, limits, controller.signal);
      controller.abort();
      const error: unknown = await reading.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DocumentError);
      expect((error as DocumentError).code).toBe('cancelled');
    });
  });
});
