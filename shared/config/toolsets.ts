// The areas of tools a deployment can offer; MCP_TOOLSETS chooses among them.

export const TOOLSETS = ['profile', 'calendar', 'mail', 'files', 'teams', 'tasks', 'notes', 'meetings', 'search'] as const;

export type Toolset = (typeof TOOLSETS)[number];

/**
 * For each area, the Graph scopes that alone let it offer a tool (some tool's only scope, or one a tool that borrows
 * reads with), and all the scopes of a tool that has none of those (get_meeting_transcript's three): every tool of
 * the area needs one of them, so an area none of whose scopes is granted offers nothing. Config cannot import the
 * tools themselves; a test keeps this in step with the catalog.
 */
export const TOOLSET_SCOPES: Readonly<Record<Toolset, readonly string[]>> = {
  profile: ['User.Read', 'People.Read', 'User.Read.All'],
  calendar: ['Calendars.Read', 'Calendars.ReadWrite'],
  mail: ['Mail.Read', 'Mail.ReadWrite', 'Mail.Send'],
  files: ['Files.Read.All', 'Sites.Read.All'],
  teams: ['Chat.Read', 'ChatMessage.Send', 'Team.ReadBasic.All', 'Channel.ReadBasic.All', 'ChannelMessage.Read.All', 'ChannelMessage.Send'],
  tasks: ['Tasks.Read', 'Tasks.ReadWrite'],
  notes: ['Notes.Read'],
  meetings: ['Calendars.Read', 'OnlineMeetings.Read', 'OnlineMeetingTranscript.Read.All'],
  // search has no scope of its own: it reads each area with the scope of the tool that opens the area's hits.
  search: ['Mail.Read', 'Chat.Read', 'Calendars.Read', 'Files.Read.All'],
};

/**
 * Areas whose tools borrow the access of other areas' tools (search opens each area's hits with that area's tool):
 * chosen alone, such an area offers nothing, so one of these must be chosen with it. A test keeps this in step with
 * the catalog.
 */
export const TOOLSET_LENDERS: Readonly<Partial<Record<Toolset, readonly Toolset[]>>> = {
  search: ['calendar', 'mail', 'files', 'teams'],
};
