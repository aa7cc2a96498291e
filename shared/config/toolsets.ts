// The areas of tools a deployment can offer; MCP_TOOLSETS chooses among them.

export const TOOLSETS = ['profile', 'calendar', 'mail', 'files', 'teams', 'tasks', 'notes'] as const;

export type Toolset = (typeof TOOLSETS)[number];

/**
 * The Graph scopes each area's tools need (every tool needs exactly one): an area offers a tool when one of them
 * is granted. Config cannot import the tools themselves; a test keeps this in step with the catalog.
 */
export const TOOLSET_SCOPES: Readonly<Record<Toolset, readonly string[]>> = {
  profile: ['User.Read', 'People.Read'],
  calendar: ['Calendars.Read', 'Calendars.ReadWrite'],
  mail: ['Mail.Read', 'Mail.ReadWrite', 'Mail.Send'],
  files: ['Files.Read.All', 'Sites.Read.All'],
  teams: ['Chat.Read', 'ChatMessage.Send', 'Team.ReadBasic.All', 'Channel.ReadBasic.All', 'ChannelMessage.Read.All', 'ChannelMessage.Send'],
  tasks: ['Tasks.Read', 'Tasks.ReadWrite'],
  notes: ['Notes.Read'],
};
