// Tool schemas are built when a request first reads them, not when the server's modules load: a cold instance
// compiles the tools without building the zod schemas of 40-odd tools it may never list or call.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { createApp } from '../../shared/mcp/createApp.js';
import { TOOLS } from '../../shared/tools/catalog.js';

const SCHEMAS = ['input', 'output'] as const;

/** Whether `tool`'s schema has been built: until then it is a getter, afterwards the schema itself. */
function built(tool: object, name: (typeof SCHEMAS)[number]): boolean {
  return Object.getOwnPropertyDescriptor(tool, name)?.get === undefined;
}

describe('tool schemas', () => {
  it('are not built by importing the server, nor by building its app', () => {
    // What a cold instance does before its first request (shared/mcp/defaultApp.ts), with the bench's settings.
    createApp(parseConfig({ MCP_DEV_MODE: '1', ENTRA_AUTHORITY_HOST: 'https://localhost:7072' }));
    expect(TOOLS.length).toBeGreaterThan(0);
    expect(TOOLS.flatMap((tool) => SCHEMAS.filter((name) => built(tool, name)).map((name) => `${tool.name}.${name}`))).toEqual([]);
  });

  it('are built once, by the first read, and read as the same schema ever after', () => {
    const [tool] = TOOLS;
    if (tool === undefined) throw new Error('no tools');
    const input = tool.input;
    expect(built(tool, 'input')).toBe(true);
    expect(built(tool, 'output')).toBe(false);
    expect(tool.input).toBe(input);
    expect(tool.output).toBe(tool.output);
    expect(Object.keys(tool)).toEqual(expect.arrayContaining(['input', 'output']));
  });
});
