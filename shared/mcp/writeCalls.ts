// A write tool's call as the request's deadline sees it: whether its write may have reached Graph, and a gate
// that stops it from beginning one once its answer has been decided without it.
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Graph, GraphRequestOptions } from '../graph/createGraph.js';
import { GraphError } from '../graph/graphError.js';
import type { ToolDefinition } from '../tools/defineTool.js';

export interface WriteCall {
  readonly tool: ToolDefinition;
  /** Its arguments, as the schema parsed them (the audit row names its target from them). */
  readonly input: Record<string, unknown>;
  /** The tool has begun a Graph write (POST, PATCH or DELETE): Graph may have acted, whatever comes back. */
  writeBegun: boolean;
  /** The deadline passed and its answer and audit row were settled without it: it may begin no Graph request. */
  abandoned: boolean;
  /** Its result, once the tool has ended and its audit row is on its way. */
  finished: Promise<CallToolResult> | undefined;
}

export function startWriteCall(tool: ToolDefinition, input: Record<string, unknown>): WriteCall {
  return { tool, input, writeBegun: false, abandoned: false, finished: undefined };
}

/**
 * `graph` for `call`: each write marks the call as one Graph may have acted on before it is sent (conservative:
 * an OBO exchange may still come first), and once the call is abandoned no request of any kind begins.
 */
export function watchWrites(graph: Graph, call: WriteCall): Graph {
  const gate = (): void => {
    if (call.abandoned) throw new GraphError('unavailable', 'The request deadline passed before this call reached Microsoft Graph');
  };
  const write = (): void => {
    gate();
    call.writeBegun = true;
  };
  return {
    apiBase: graph.apiBase,
    get: <T>(path: string, options?: GraphRequestOptions) => {
      gate();
      return graph.get<T>(path, options);
    },
    getNext: <T>(nextLink: string, options?: Pick<GraphRequestOptions, 'headers'>) => {
      gate();
      return graph.getNext<T>(nextLink, options);
    },
    getBytes: (path, options) => {
      gate();
      return graph.getBytes(path, options);
    },
    post: <T>(path: string, body: unknown, options?: GraphRequestOptions) => {
      write();
      return graph.post<T>(path, body, options);
    },
    patch: <T>(path: string, body: unknown, options?: GraphRequestOptions) => {
      write();
      return graph.patch<T>(path, body, options);
    },
    delete: (path, options) => {
      write();
      return graph.delete(path, options);
    },
  };
}
