// Teams message bodies as text: mentions as names (one per person), attachments, events, hostile HTML and caps.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { describe, expect, it } from 'vitest';
import { capText } from '../../../shared/documents/capText.js';
import { DocumentError, type DocumentErrorCode } from '../../../shared/documents/documentError.js';
import { createDocuments, type Documents } from '../../../shared/documents/documents.js';
import { MAX_MESSAGE_CHARS, messageText, senderName, toMessageSummary } from '../../../shared/tools/teams/messageText.js';

const html = (content: string, extra: Partial<MicrosoftGraph.ChatMessage> = {}): MicrosoftGraph.ChatMessage => ({ body: { contentType: 'html', content }, ...extra });

function mention(id: number, text: string, user: { id: string; displayName: string }): MicrosoftGraph.ChatMessageMention {
  return { id, mentionText: text, mentioned: { user: { ...user, userIdentityType: 'aadUser' } as MicrosoftGraph.Identity } };
}

const context = { documents: createDocuments(), signal: new AbortController().signal };
const htmlText = async (content: string) => (await context.documents.convert({ format: 'html', content, name: 'test', maxChars: 64_000 }, context.signal)).text;

const MEGAN = { id: 'u-megan', displayName: 'Megan Bowen' };
const ALEX = { id: 'u-alex', displayName: 'Alex Wilber' };

describe('messageText', () => {
  it('renders a person mentioned word by word once, by their display name', async () => {
    const message = html('<p>Hi <at id="0">Megan</at>&nbsp;<at id="1">Bowen</at> and <at id="2">Alex</at>, ready?</p>', {
      mentions: [mention(0, 'Megan', MEGAN), mention(1, 'Bowen', MEGAN), mention(2, 'Alex', ALEX)],
    });
    expect(await messageText(message, context)).toBe('Hi @Megan Bowen and @Alex Wilber, ready?');
  });

  it('keeps two mentions of one person apart when text stands between them', async () => {
    const message = html('<at id="0">Megan</at> and again <at id="1">Megan</at>', { mentions: [mention(0, 'Megan', MEGAN), mention(1, 'Megan', MEGAN)] });
    expect(await messageText(message, context)).toBe('@Megan Bowen and again @Megan Bowen');
  });

  it('falls back to the mention text, and to the tag text when the mention is missing', async () => {
    const team: MicrosoftGraph.ChatMessageMention = { id: 0, mentionText: 'Sales team', mentioned: { conversation: { id: 'c1', displayName: 'Sales' } } };
    expect(await messageText(html('<at id="0">Sales team</at> <at id="7">Ghost</at>', { mentions: [team] }), context)).toBe('@Sales @Ghost');
  });

  it('never lets a display name inject markup', async () => {
    const evil = { id: 'u-evil', displayName: '<script>steal()</script><b>Eve</b>' };
    expect(await messageText(html('<at id="0">Eve</at>', { mentions: [mention(0, 'Eve', evil)] }), context)).toBe('@<script>steal()</script><b>Eve</b>');
  });

  it('drops scripts, styles and images, and names attachments', async () => {
    const message = html('<style>p{}</style><script>alert(1)</script><p>See <img src="x.png" alt="x">this</p><attachment id="a1"></attachment><attachment id="zz"></attachment>', {
      attachments: [{ id: 'a1', name: 'plan.docx', contentType: 'reference' }],
    });
    expect(await messageText(message, context)).toBe('See this\n\n[attachment: plan.docx][attachment: file]');
  });

  it('says what deleted messages and system events are, and passes text bodies through', async () => {
    expect(await messageText({ ...html('<p>gone</p>'), deletedDateTime: '2025-01-01T00:00:00Z' }, context)).toBe('(deleted)');
    expect(await messageText({ messageType: 'systemEventMessage', eventDetail: { '@odata.type': '#microsoft.graph.membersAddedEventMessageDetail' } }, context)).toBe('(event: membersAdded)');
    expect(await messageText({ body: { contentType: 'text', content: '  <b>as typed</b>  ' } }, context)).toBe('<b>as typed</b>');
  });

  it('converts a body of thousands of nested tags without overflowing the stack', async () => {
    expect(await messageText(html(`${'<at id="1">'.repeat(20_000)}x`), context)).toContain('...');
    expect(await htmlText(`${'<div>'.repeat(50_000)}deep${'</div>'.repeat(50_000)}`)).toBe('...');
  });

  it('renders the display name of a mention as text whatever characters it holds', async () => {
    for (const name of ['a&b', '<i>x</i>', '&lt;y&gt;', 'José Ñ 😀', '"quoted"', '\\ back', '']) {
      const text = await messageText(html('<p>Hi <at id="0">x</at></p>', { mentions: [mention(0, 'x', { id: 'u', displayName: name })] }), context);
      expect(text, name).toBe(`Hi @${name}`.trim());
    }
  });
});

describe('toMessageSummary', () => {
  it(`caps a message at ${MAX_MESSAGE_CHARS} characters and flags it`, async () => {
    const summary = await toMessageSummary({ id: 'm1', body: { contentType: 'text', content: 'x'.repeat(MAX_MESSAGE_CHARS + 10) }, from: { user: ALEX } }, context);
    expect(summary).toMatchObject({ id: 'm1', from: 'Alex Wilber', truncated: true });
    expect(summary.text).toHaveLength(MAX_MESSAGE_CHARS);
    expect((await toMessageSummary({ id: 'm2', body: { contentType: 'text', content: 'short' } }, context)).truncated).toBeUndefined();
  });

  it.each([
    ['conversion_timeout', 'took too long to convert'],
    ['too_complex', 'too complex to convert'],
    ['busy', 'this server is busy converting documents'],
  ] as const)('names a message it could not convert (%s) in its place, rather than failing the list', async (code: DocumentErrorCode, why) => {
    const failing: Documents = { convert: () => Promise.reject(new DocumentError(code, 'The message could not be converted')) };
    const summary = await toMessageSummary({ id: 'm3', body: { contentType: 'html', content: '<p>hostile</p>' } }, { documents: failing, signal: context.signal });
    expect(summary.text).toBe(`(message not shown: ${why}${code === 'busy' ? '; read it again later' : ''})`);
  });

  it('names apps and devices as senders', () => {
    expect(senderName({ application: { id: 'bot', displayName: 'Build bot' } })).toBe('Build bot');
    expect(senderName(null)).toBeUndefined();
  });
});

describe('capText', () => {
  it('never leaves half of a surrogate pair', () => {
    expect(capText('ab😀', 3)).toEqual({ text: 'ab', truncated: true });
    expect(capText('abc', 3)).toEqual({ text: 'abc', truncated: false });
  });
});
