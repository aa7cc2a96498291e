// Cursors for chats and channels: accepted for exactly their conversation whether Graph encodes the id or not, never elsewhere.
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../../shared/graph/createGraph.js';
import { encodeCursor } from '../../../shared/graph/cursor.js';
import { GraphError } from '../../../shared/graph/graphError.js';
import { threadPage } from '../../../shared/tools/teams/threadPage.js';

const API = 'https://graph.example/v1.0';
const CHAT = '19:abc_def@unq.gbl.spaces';
const PATH = `/chats/${encodeURIComponent(CHAT)}/messages`;

/** A Graph that records the links it is asked to follow and answers an empty last page. */
function recordingGraph(): Graph & { followed: string[] } {
  const followed: string[] = [];
  const fail = () => Promise.reject(new Error('not used'));
  return {
    apiBase: API,
    followed,
    get: () => Promise.resolve({ value: [], '@odata.nextLink': `${API}/chats/${CHAT}/messages?$skiptoken=2` } as never),
    getNext: (link: string) => {
      followed.push(link);
      return Promise.resolve({ value: [] } as never);
    },
    post: fail,
    patch: fail,
    delete: fail,
    getBytes: fail,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof GraphError ? error.code : 'not a GraphError';
  }
}

describe('threadPage', () => {
  it('follows the raw nextLink Graph writes for the chat it was issued for', async () => {
    const graph = recordingGraph();
    const first = await threadPage(graph, { tool: 'list_chat_messages', path: PATH });
    expect(first.nextCursor).toBeDefined();
    await threadPage(graph, { tool: 'list_chat_messages', path: PATH, cursor: first.nextCursor });
    expect(graph.followed).toEqual([`${API}/chats/${CHAT}/messages?$skiptoken=2`]);
  });

  it('accepts the encoded form of the same id', async () => {
    const graph = recordingGraph();
    const cursor = encodeCursor('list_chat_messages', `${API}/chats/19%3Aabc_def%40unq.gbl.spaces/messages?$skiptoken=9`);
    await threadPage(graph, { tool: 'list_chat_messages', path: PATH, cursor });
    expect(graph.followed).toHaveLength(1);
  });

  it.each([
    ['another chat', `${API}/chats/19:other@thread.v2/messages?$skiptoken=1`],
    ['a sub-resource', `${API}/chats/${CHAT}/messages/1/hostedContents`],
    ['a walk out with dot segments', `${API}/chats/${CHAT}/messages/../../../me/messages`],
    ['encoded dot segments', `${API}/chats/${CHAT}/messages/%2e%2e/%2e%2e/%2e%2e/me/messages`],
    ['an encoded slash inside the id', `${API}/chats/19%3Aabc_def%40unq.gbl.spaces%2F..%2F..%2Fme/messages`],
    ['another host', `https://evil.example/v1.0/chats/${CHAT}/messages`],
    ['another API version', `https://graph.example/beta/chats/${CHAT}/messages`],
  ])('refuses a cursor that leads to %s', async (_case, link) => {
    const graph = recordingGraph();
    expect(await codeOf(threadPage(graph, { tool: 'list_chat_messages', path: PATH, cursor: encodeCursor('list_chat_messages', link) }))).toBe('cursor_invalid');
    expect(graph.followed).toEqual([]);
  });

  it('refuses a cursor of another tool', async () => {
    const cursor = encodeCursor('list_chats', `${API}/chats/${CHAT}/messages?$skiptoken=1`);
    expect(await codeOf(threadPage(recordingGraph(), { tool: 'list_chat_messages', path: PATH, cursor }))).toBe('cursor_invalid');
  });

  it('follows no link outside the conversation, whatever the cursor holds', async () => {
    // Tails built from the characters that matter to paths, from a fixed seed so a failure replays.
    const alphabet = ['/', '.', '%2e', '%2E', '%2f', '%2F', '%3A', ':', '@', '%40', '?', '#', '\\', '%', 'a', '19', 'messages', CHAT, '%5C', ';'];
    let seed = 0x9e3779b9;
    const next = () => (seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0);
    for (let run = 0; run < 500; run++) {
      const tail = Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join('');
      const graph = recordingGraph();
      const code = await codeOf(threadPage(graph, { tool: 'list_chat_messages', path: PATH, cursor: encodeCursor('list_chat_messages', `${API}/chats/${tail}`) }));
      for (const link of graph.followed) expect(decodeURIComponent(new URL(link).pathname), tail).toBe(`/v1.0/chats/${CHAT}/messages`);
      expect(code === undefined || code === 'cursor_invalid', tail).toBe(true);
    }
  });
});
