// The areas of tools a deployment can offer; MCP_TOOLSETS chooses among them.

export const TOOLSETS = ['profile', 'calendar', 'mail', 'files', 'teams', 'tasks', 'notes'] as const;

export type Toolset = (typeof TOOLSETS)[number];
