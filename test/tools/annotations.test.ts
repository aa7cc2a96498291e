// Each tool's annotations say what it does: a table of every tool's effect on the user's data, from which the
// hints follow, and a check that no tool that clears or replaces what it is given claims to be non-destructive.
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../../shared/tools/catalog.js';
import type { ToolAnnotations, ToolDefinition } from '../../shared/tools/defineTool.js';

/** What a tool does to the user's Microsoft 365 data. */
interface Effect {
  /** `none`: reads only; `adds`: creates or sends something new; `overwrites`: replaces or clears values; `removes`: deletes or cancels. */
  readonly writes: 'none' | 'adds' | 'overwrites' | 'removes';
  /** The same call twice leaves things as one call did (no second mail, message, task or event). */
  readonly repeatable: boolean;
  /** It reaches people or places beyond the user's own data (recipients, attendees, chat and channel members). */
  readonly openWorld: boolean;
  readonly why: string;
}

const READS: Effect = { writes: 'none', repeatable: true, openWorld: false, why: 'reads the user\'s own data (or what is shared with them) and changes nothing' };

const EFFECTS: Readonly<Record<string, Effect>> = {
  whoami: READS,
  find_people: READS,
  get_manager: READS,
  list_direct_reports: READS,
  list_events: READS,
  get_event: READS,
  list_event_attachments: READS,
  read_event_attachment: READS,
  create_event: { writes: 'adds', repeatable: false, openWorld: true, why: 'a second call makes a second event and sends attendees a second invitation' },
  update_event: { writes: 'overwrites', repeatable: true, openWorld: true, why: 'a new body or location replaces the old one, which nothing keeps; attendees are sent the update' },
  cancel_event: { writes: 'removes', repeatable: true, openWorld: true, why: 'the event leaves the calendar and attendees are sent a cancellation; a second call finds it gone' },
  respond_to_event: { writes: 'removes', repeatable: true, openWorld: true, why: 'a decline takes the meeting off the calendar, and the organizer is told; an answer the meeting already has is not sent again' },
  find_meeting_times: READS,
  get_schedule: READS,
  list_messages: READS,
  search_messages: READS,
  get_message: READS,
  list_attachments: READS,
  read_attachment: READS,
  create_draft: { writes: 'adds', repeatable: false, openWorld: true, why: 'each call saves another draft, one step from leaving the organization' },
  send_mail: { writes: 'adds', repeatable: false, openWorld: true, why: 'each call sends another mail, which cannot be recalled' },
  reply_to_message: { writes: 'adds', repeatable: false, openWorld: true, why: 'each call saves another draft or sends another reply, which cannot be recalled' },
  forward_message: { writes: 'adds', repeatable: false, openWorld: true, why: 'each call saves another draft or sends the message and its attachments again' },
  search_files: READS,
  search: READS,
  get_meeting_transcript: READS,
  list_drive_items: READS,
  read_file: READS,
  list_sites: READS,
  list_chats: READS,
  list_chat_messages: READS,
  send_chat_message: { writes: 'adds', repeatable: false, openWorld: true, why: 'each call posts another message the chat\'s members see at once' },
  list_teams: READS,
  list_channels: READS,
  list_channel_messages: READS,
  post_channel_message: { writes: 'adds', repeatable: false, openWorld: true, why: 'each call posts another message the channel\'s members see at once' },
  list_task_lists: READS,
  list_tasks: READS,
  create_task: { writes: 'adds', repeatable: false, openWorld: false, why: 'each call adds another task to the user\'s own list' },
  update_task: { writes: 'overwrites', repeatable: true, openWorld: false, why: 'a note given replaces the old one (an empty one empties it) and clearDueDate removes the due date' },
  list_notebooks: READS,
  list_pages: READS,
  read_page: READS,
};

function expected(effect: Effect): ToolAnnotations {
  return {
    readOnlyHint: effect.writes === 'none',
    destructiveHint: effect.writes === 'overwrites' || effect.writes === 'removes',
    idempotentHint: effect.repeatable,
    openWorldHint: effect.openWorld,
  };
}

/** Every description in a tool's published input schema, and its own. */
function descriptions(tool: ToolDefinition): string[] {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { description?: string }> };
  return [tool.description, ...Object.values(schema.properties ?? {}).map((property) => property.description ?? '')];
}

describe('tool annotations', () => {
  it('the table covers exactly the catalog', () => {
    expect(Object.keys(EFFECTS).sort()).toEqual(TOOLS.map((tool) => tool.name).sort());
  });

  it.each(TOOLS.map((tool) => [tool.name, tool] as const))('%s: its annotations follow from what it does', (name, tool) => {
    const effect = EFFECTS[name];
    expect(effect, name).toBeDefined();
    expect(tool.annotations, `${name}: ${effect?.why}`).toEqual(expected(effect as Effect));
  });

  it('every write a blind retry would repeat says where to check whether it took effect, for when its outcome is unknown', () => {
    const repeating = TOOLS.filter((tool) => !tool.annotations.readOnlyHint && !tool.annotations.idempotentHint);
    expect(repeating.length).toBeGreaterThan(0);
    for (const tool of repeating) expect(tool.checkOutcome, tool.name).toMatch(/\b(list_\w+|Sent Items|Drafts)\b/);
  });

  it('a tool whose inputs clear, replace or remove something is destructive', () => {
    const overwriting = TOOLS.filter((tool) => descriptions(tool).some((text) => /\b(clears?|replaces?|removed?|deletes?|overwrit\w*)\b/i.test(text)));
    expect(overwriting.map((tool) => tool.name)).toEqual(expect.arrayContaining(['update_event', 'cancel_event', 'update_task']));
    for (const tool of overwriting) expect(tool.annotations.destructiveHint, tool.name).toBe(true);
  });
});
