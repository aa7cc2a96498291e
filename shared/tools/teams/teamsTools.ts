// The Teams tools, in the order clients should see them.
import type { ToolDefinition } from '../defineTool.js';
import { listChannelMessages } from './listChannelMessages.js';
import { listChannels } from './listChannels.js';
import { listChatMessages } from './listChatMessages.js';
import { listChats } from './listChats.js';
import { listTeams } from './listTeams.js';
import { postChannelMessage } from './postChannelMessage.js';
import { sendChatMessage } from './sendChatMessage.js';

export const teamsTools = [
  listChats,
  listChatMessages,
  sendChatMessage,
  listTeams,
  listChannels,
  listChannelMessages,
  postChannelMessage,
] as unknown as readonly ToolDefinition[];
