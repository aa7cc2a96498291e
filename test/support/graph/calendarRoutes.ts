// Local Graph: calendar endpoints.
import type { GraphRoute } from './localGraph.js';
import type { UserData } from './userData.js';

export const calendarRoutes: readonly GraphRoute[] = [];

export function seedCalendar(_data: UserData): void {}
