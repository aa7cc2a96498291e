// Tool schemas are built when a request first needs them, not when the server's modules load: a cold instance
// compiles the tools without building the zod schemas of 40-odd tools it may never list or call.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { createApp } from '../../shared/mcp/createApp.js';
import { TOOLS } from '../../shared/tools/catalog.js';
import { readRepoFiles } from '../infra/infraFiles.js';

const SCHEMAS = ['input', 'output'] as const;

/** Whether `tool`'s schema has been built: until then it is a getter, afterwards the schema itself. */
function built(tool: object, name: (typeof SCHEMAS)[number]): boolean {
  return Object.getOwnPropertyDescriptor(tool, name)?.get === undefined;
}

const toolFiles = readRepoFiles('shared/tools', (name) => name.endsWith('.ts'))
  .map((file) => ({ path: file.path, source: ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true) }));

/** The identifier a call chain starts from: `z` for `z.string().max(4)`, `graphId` for `graphId().describe('…')`. */
function rootOf(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression)) return rootOf(expression.expression);
  if (ts.isCallExpression(expression)) return rootOf(expression.expression);
  return undefined;
}

/** The names the tool files declare as `const name = lazily(() => …)`: each a schema built on its first call. */
const lazyNames = new Set(toolFiles.flatMap(({ source }) => source.statements.filter(ts.isVariableStatement)
  .flatMap((statement) => statement.declarationList.declarations)
  .flatMap((declaration) => (declaration.initializer !== undefined && ts.isCallExpression(declaration.initializer) && rootOf(declaration.initializer.expression) === 'lazily' && ts.isIdentifier(declaration.name) ? [declaration.name.text] : []))));

/** Every call a module makes while it loads (outside any function) that builds a schema: zod's, or a lazy one's. */
function schemasBuiltAtLoad(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node)) {
      const root = rootOf(node.expression);
      if (root === 'z' || (root !== undefined && lazyNames.has(root))) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${source.fileName}:${line + 1} ${node.getText().slice(0, 60)}`);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
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

  it('shared by tools are built on first use too: no tool module builds a schema while it loads', () => {
    expect(toolFiles.length).toBeGreaterThan(40);
    expect(lazyNames).toContain('graphId');
    expect(toolFiles.flatMap(({ source }) => schemasBuiltAtLoad(source))).toEqual([]);
  });
});
