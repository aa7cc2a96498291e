// The delegated Graph scopes the tools ask for: the names GRAPH_SCOPES_GRANTED may list (a test keeps it in step with the tools).

export const TOOL_GRAPH_SCOPES = [
  'User.Read',
  'People.Read',
  'User.Read.All',
  'User.ReadBasic.All',
  'Calendars.Read',
  'Calendars.ReadWrite',
  'Mail.Read',
  'Mail.ReadWrite',
  'Mail.Send',
  'Files.Read.All',
  'Sites.Read.All',
  'Chat.Read',
  'ChatMessage.Send',
  'Team.ReadBasic.All',
  'Channel.ReadBasic.All',
  'ChannelMessage.Read.All',
  'ChannelMessage.Send',
  'Tasks.Read',
  'Tasks.ReadWrite',
  'Notes.Read',
  'OnlineMeetings.Read',
  'OnlineMeetingTranscript.Read.All',
] as const;

/** Sign-in scopes an admin may copy along with the granted list; they never decide which tools are offered. */
export const SIGN_IN_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
