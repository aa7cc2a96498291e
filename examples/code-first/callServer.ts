// Calls onbehalf's list_events with the user's access token: the MCP SDK client over Streamable HTTP, the token in the Authorization header.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import * as z from 'zod';
import type { Settings } from './settings.js';

const eventSummary = z.object({
  subject: z.string(),
  start: z.string(),
  end: z.string(),
  timeZone: z.string(),
  location: z.string().optional(),
  isAllDay: z.boolean(),
  isCancelled: z.boolean(),
  showAs: z.string(),
});
export type CalendarEvent = z.infer<typeof eventSummary>;

const listEventsOutput = z.object({ events: z.array(eventSummary), nextCursor: z.string().optional() });

export type ServerCallErrorCode = 'unauthorized' | 'forbidden' | 'http_error' | 'tool_error' | 'unexpected_output';

export class ServerCallError extends Error {
  constructor(readonly code: ServerCallErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerCallError';
  }
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content.map((item: { type?: unknown; text?: unknown }) => (item.type === 'text' && typeof item.text === 'string' ? item.text : '')).join('\n');
}

/** The user's events of `settings.day`, sorted by start, every page of them. Throws `ServerCallError`. */
export async function listEvents(settings: Pick<Settings, 'mcpUrl' | 'day' | 'timeZone'>, accessToken: string): Promise<CalendarEvent[]> {
  const client = new Client({ name: 'onbehalf-code-first-example', version: '1.0.0' });
  // The token goes in a header of every request of this connection, and nowhere else.
  const transport = new StreamableHTTPClientTransport(settings.mcpUrl, { requestInit: { headers: { Authorization: `Bearer ${accessToken}` } } });
  try {
    await client.connect(transport);
    const events: CalendarEvent[] = [];
    let cursor: string | undefined;
    do {
      const result = await client.callTool({
        name: 'list_events',
        arguments: { start: settings.day.start.toISOString(), end: settings.day.end.toISOString(), timeZone: settings.timeZone, ...(cursor !== undefined && { cursor }) },
      });
      if (result.isError === true) throw new ServerCallError('tool_error', `list_events failed: ${textOf(result.content)}`);
      const page = listEventsOutput.safeParse(result.structuredContent);
      if (!page.success) throw new ServerCallError('unexpected_output', 'list_events answered without the events it promises');
      events.push(...page.data.events);
      cursor = page.data.nextCursor;
    } while (cursor !== undefined);
    return events;
  } catch (error) {
    if (error instanceof StreamableHTTPError) {
      if (error.code === 401) throw new ServerCallError('unauthorized', 'the server refused the access token (401): wrong audience or tenant, or expired', { cause: error });
      if (error.code === 403) throw new ServerCallError('forbidden', 'the server refused the call (403): the token lacks the access_as_user scope', { cause: error });
      throw new ServerCallError('http_error', `the server answered ${String(error.code)}`, { cause: error });
    }
    throw error;
  } finally {
    await client.close();
  }
}
