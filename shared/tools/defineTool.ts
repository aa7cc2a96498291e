// The shape of one tool: schemas, annotations, the Graph scopes it needs, and its handler.
import type * as z from 'zod';
import type { Identity } from '../auth/identity.js';
import type { Documents } from '../documents/documents.js';
import type { Graph } from '../graph/createGraph.js';
import type { Logger } from '../log/logger.js';
import { boundResult } from './boundResult.js';
import { refuseLoneSurrogates } from './schemas.js';

export interface ToolAnnotations {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** What a tool handler may use: who is calling, Graph as that user (with the tool's scopes only), and where to log. */
export interface ToolContext {
  readonly identity: Identity;
  readonly graph: Graph;
  readonly log: Logger;
  /** Aborts when the request ends: its deadline passed, or the client went away. */
  readonly signal: AbortSignal;
  /** Converts documents to text off the event loop; pass `signal`. */
  readonly documents: Documents;
  /**
   * For a tool that `borrows`: Graph with the scopes of one of the tools it names, when the caller may call that
   * tool now (offered by this deployment, allowed by the policy); undefined otherwise, and for any other name.
   */
  readonly graphAs?: (toolName: string) => Graph | undefined;
}

/** What the person is shown, and asked to accept, before a tool that sends, posts, forwards or deletes for them acts. */
export interface Confirmation {
  /** One line saying what will happen: `Send "Q3 plan" by email`, `Cancel "Weekly sync" and notify its attendees`. */
  readonly action: string;
  /** Exactly who or where: every recipient address, or the chat, channel or event, each as one entry. */
  readonly targets: readonly string[];
  /** The text that will go out, as the call gives it (whoever shows it caps its length). */
  readonly preview?: string;
}

export interface ToolResult<Output> {
  /** Matches the tool's output schema; sent as `structuredContent`. */
  readonly structured: Output;
  /** A short rendering for clients and models that read text. */
  readonly text: string;
}

export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Delegated Microsoft Graph scopes the handler's calls need; empty when it calls no Graph API of its own. */
  readonly scopes: readonly string[];
  /**
   * Read-only tools whose access this tool uses, each for its own part, instead of scopes of its own: `search`
   * reads each area with the scopes of the tool that opens that area's hits, so it never reaches what the caller
   * could not read with that tool. Offered when one of them is; each part through `context.graphAs`.
   */
  readonly borrows?: readonly string[];
  readonly input: Input;
  readonly output: Output;
  readonly annotations: ToolAnnotations;
  readonly handler: (input: z.output<Input>, context: ToolContext) => Promise<ToolResult<z.input<Output>>>;
  /** For the audit log of write tools: where the call acts, from its input alone (a failed call names it too). Default: the input's `id`. */
  readonly auditTarget?: (input: z.output<Input>) => string | undefined;
  /** For the audit log of write tools that create something: its id, from a successful call's output. */
  readonly auditCreated?: (output: z.output<Output>) => string | undefined;
  /**
   * Where the user or agent can see whether a call took effect, for when that is unknown (the request's deadline
   * passed after the write was sent): an instruction such as `look in Sent Items (list_messages with folder
   * sentitems)`. Every write that is not idempotent has one: a blind retry would act twice.
   */
  readonly checkOutcome?: string;
  /**
   * For the audit log of mail writes: every recipient address (the log keeps only their count and domains). `output`
   * is there when the call succeeded: a reply's recipients are Graph's to decide, and only its answer names them.
   */
  readonly auditRecipients?: (input: z.output<Input>, output: z.output<Output> | undefined) => readonly string[];
  /**
   * Present on every tool that sends, posts, forwards or deletes for the user: what the person confirms before
   * Graph is called. Absent on reads and on writes that stay with the user (a draft, a task); undefined for a call
   * that, by its input, sends nothing (a reply saved as a draft, an event created without attendees).
   */
  readonly confirm?: (input: z.output<Input>) => Confirmation | undefined;
}

/**
 * A tool as its file writes it: the `ToolDefinition`, with its schemas as functions that build them. Zod builds a
 * schema eagerly and a cold instance compiles every tool at import; built on first use, the schemas of a tool no
 * request lists or calls are never built.
 */
export type ToolSpec<Input extends z.ZodObject, Output extends z.ZodObject> = Omit<ToolDefinition<Input, Output>, 'input' | 'output'> & {
  readonly input: () => Input;
  readonly output: () => Output;
};

/**
 * Checks a tool's definition against its schemas at compile time, and adds what every tool gets whatever
 * its fields: no lone surrogates in any string of its input, and a result bounded by `boundResult`. Each schema
 * is built the first time it is read, once: its getter then gives way to the schema itself.
 */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  spec: ToolSpec<Input, Output>,
): ToolDefinition<Input, Output> {
  const { handler, input, output, ...rest } = spec;
  const tool = { ...rest, handler: async (parsed, context) => boundResult(await handler(parsed, context)) } as ToolDefinition<Input, Output>;
  const memo = <Name extends 'input' | 'output'>(name: Name, build: () => ToolDefinition<Input, Output>[Name]) => {
    Object.defineProperty(tool, name, {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = build();
        Object.defineProperty(tool, name, { value, enumerable: true });
        return value;
      },
    });
  };
  memo('input', () => input().superRefine(refuseLoneSurrogates));
  memo('output', output);
  return tool;
}
