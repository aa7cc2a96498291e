// Local Graph: mail endpoints.
import type { GraphRoute } from './localGraph.js';
import type { UserData } from './userData.js';

export const mailRoutes: readonly GraphRoute[] = [];

export function seedMail(_data: UserData): void {}
