// Every tool that changes something either asks the person to confirm (its definition has `confirm`) or is named
// here, with the reason, as a write that stays with the user: a new tool cannot forget to choose.
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../../shared/tools/catalog.js';

/** Writes that send, post, forward or delete nothing for the user: what they change, only the user sees. */
const STAYS_WITH_USER: Readonly<Record<string, string>> = {
  create_draft: 'a draft waits in the user\'s Drafts folder; nothing leaves until the user sends it themselves',
  create_task: 'adds a task to the user\'s own To Do list, which no one else sees',
  update_task: 'changes a task in the user\'s own To Do list, which no one else sees',
};

const writes = TOOLS.filter((tool) => !tool.annotations.readOnlyHint);

describe('confirmation, for the whole catalog', () => {
  it.each(writes.map((tool) => [tool.name, tool] as const))('%s asks the person first, or is listed as staying with the user', (name, tool) => {
    const listed = STAYS_WITH_USER[name];
    expect(tool.confirm !== undefined || listed !== undefined, `${name} changes something: give it \`confirm\`, or list it here with the reason it stays with the user`).toBe(true);
    expect(tool.confirm !== undefined && listed !== undefined, `${name} has \`confirm\` and is listed as staying with the user: choose one`).toBe(false);
  });

  it('lists only tools that exist and change something', () => {
    const names = new Set(writes.map((tool) => tool.name));
    expect(Object.keys(STAYS_WITH_USER).filter((name) => !names.has(name))).toEqual([]);
    for (const reason of Object.values(STAYS_WITH_USER)) expect(reason.length).toBeGreaterThan(20);
  });

  it('no read-only tool asks for a confirmation', () => {
    expect(TOOLS.filter((tool) => tool.annotations.readOnlyHint && tool.confirm !== undefined).map((tool) => tool.name)).toEqual([]);
  });

  it('the tools that send, post or cancel for the user ask', () => {
    const asking = new Set(TOOLS.filter((tool) => tool.confirm !== undefined).map((tool) => tool.name));
    for (const name of ['send_mail', 'send_chat_message', 'post_channel_message', 'cancel_event', 'create_event', 'update_event']) expect(asking.has(name), name).toBe(true);
  });
});
