// The tool names of each area: the names MCP_TOOL_POLICY may grant (a test keeps it in step with the tools).
import type { Toolset } from './toolsets.js';

export const TOOL_NAMES_BY_SET: Readonly<Record<Toolset, readonly string[]>> = {
  profile: ['whoami', 'find_people', 'get_manager', 'list_direct_reports'],
  calendar: ['list_events', 'get_event', 'list_event_attachments', 'read_event_attachment', 'create_event', 'update_event', 'cancel_event', 'respond_to_event', 'find_meeting_times', 'get_schedule'],
  mail: ['list_messages', 'search_messages', 'get_message', 'list_attachments', 'read_attachment', 'create_draft', 'send_mail', 'reply_to_message', 'forward_message'],
  files: ['search_files', 'list_drive_items', 'read_file', 'list_sites'],
  teams: ['list_chats', 'list_chat_messages', 'send_chat_message', 'list_teams', 'list_channels', 'list_channel_messages', 'post_channel_message'],
  tasks: ['list_task_lists', 'list_tasks', 'create_task', 'update_task'],
  notes: ['list_notebooks', 'list_pages', 'read_page'],
  meetings: ['get_meeting_transcript'],
  search: ['search'],
};
