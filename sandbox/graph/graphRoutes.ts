// Every route and every seed of the local Graph.
import { attachmentRoutes, seedAttachments } from './attachmentRoutes.js';
import { calendarRoutes, seedCalendar } from './calendarRoutes.js';
import { eventResponseRoutes } from './eventResponseRoutes.js';
import { filesRoutes, seedFiles } from './filesRoutes.js';
import type { GraphRoute } from './localGraph.js';
import { mailRoutes, seedMail } from './mailRoutes.js';
import { meetingsRoutes } from './meetingsRoutes.js';
import { notesRoutes, seedNotes } from './notesRoutes.js';
import { orgRoutes } from './orgRoutes.js';
import { profileRoutes, seedProfile } from './profileRoutes.js';
import { replyRoutes } from './replyRoutes.js';
import { searchRoutes } from './searchRoutes.js';
import { seedTasks, tasksRoutes } from './tasksRoutes.js';
import { seedTeams, teamsRoutes } from './teamsRoutes.js';
import type { UserData } from './userData.js';

export const GRAPH_ROUTES: readonly GraphRoute[] = [...profileRoutes, ...calendarRoutes, ...mailRoutes, ...filesRoutes, ...teamsRoutes, ...tasksRoutes, ...notesRoutes,
  ...replyRoutes, ...eventResponseRoutes, ...orgRoutes, ...meetingsRoutes, ...searchRoutes, ...attachmentRoutes];

export function seedUserData(data: UserData): void {
  seedProfile(data);
  seedCalendar(data);
  seedMail(data);
  seedFiles(data);
  seedTeams(data);
  seedTasks(data);
  seedNotes(data);
  seedAttachments(data);
}
