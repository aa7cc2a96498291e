// Local Graph: files endpoints.
import type { GraphRoute } from './localGraph.js';
import type { UserData } from './userData.js';

export const filesRoutes: readonly GraphRoute[] = [];

export function seedFiles(_data: UserData): void {}
