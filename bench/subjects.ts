// The servers under test, started and checked once each: the anchor, ours, ours with telemetry on, and the direct Graph request.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DEV_CLIENT_ID } from '../shared/config/devDefaults.js';
import { GRAPH_AUDIENCE } from '../sandbox/identityProvider.js';
import { ADELE } from '../sandbox/sampleUsers.js';
import type { LoadTarget } from './load.js';
import { expectErrorCode, expectResult, mcpHeaders, post, refusedCall, toolCall, toolsList as toolsListRequest, type EraRequest } from './mcpRequests.js';
import { startServerProcess, type ServerProcess } from './serverProcess.js';
import type { StandIns } from './standIns.js';

export interface SubjectContext {
  /** dist/ */
  readonly dist: string;
  readonly standIns: StandIns;
  readonly certPath: string;
  /** Our user's access token (ADELE). */
  readonly token: string;
  /** Registers a server to stop when the bench ends, however it ends. */
  readonly track: (server: ServerProcess) => void;
}

export interface Subject {
  readonly server: ServerProcess;
  /** The requests that warm it up before its memory is read: each kind it serves in the bench. */
  readonly warmups: readonly LoadTarget[];
}

export interface Anchor extends Subject {
  readonly toolsList: LoadTarget;
  readonly echo: LoadTarget;
  /** Its tool sending ours' Graph tool's request directly. */
  readonly graph: LoadTarget;
  /** The same two, as 2026-07-28 requests. */
  readonly modern: { readonly toolsList: LoadTarget; readonly echo: LoadTarget };
}

export interface Ours extends Subject {
  readonly toolsList: LoadTarget;
  readonly whoami: LoadTarget;
  readonly graphTool: LoadTarget;
  readonly graphToolCall: { readonly name: string; readonly arguments: Record<string, unknown> };
  /** The Graph request graphTool makes, sent directly with a Graph token for the same user and scopes. */
  readonly direct: LoadTarget;
  readonly directPath: string;
  readonly toolsListBytes: number;
  readonly toolCount: number;
  /**
   * The same three calls, as 2026-07-28 requests; and `refused`, a whoami call ours refuses for its params after
   * every check of its own (the token, the body, the budgets, the params) and before the SDK's stage: what those
   * checks cost, beside the whole call.
   */
  readonly modern: { readonly toolsList: LoadTarget; readonly whoami: LoadTarget; readonly graphTool: LoadTarget; readonly refused: LoadTarget };
}

/** Ours stateless with telemetry on, exporting OTLP to the bench's local collector. */
export interface WithTelemetry extends Subject {
  readonly whoami: LoadTarget;
  readonly graphTool: LoadTarget;
}

export const DAY_MS = 24 * 3600 * 1000;

async function start(context: SubjectContext, name: string, script: string, env: Record<string, string>, execArgv: string[] = []): Promise<ServerProcess> {
  const server = await startServerProcess({ name, script, env, execArgv });
  context.track(server);
  return server;
}

async function check(target: LoadTarget, what: string): Promise<Record<string, unknown>> {
  return expectResult(await post(target.url, target.perConnectionHeaders?.[0] ?? target.headers, target.body ?? ''), what);
}

/** The anchor's environment: what it needs to send ours' Graph request itself. */
export function anchorEnv(context: SubjectContext, ours: Ours): Record<string, string> {
  return { ANCHOR_GRAPH_REQUEST: JSON.stringify({ url: ours.direct.url, headers: ours.direct.headers }), NODE_EXTRA_CA_CERTS: context.certPath };
}

export async function startAnchor(context: SubjectContext, ours: Ours): Promise<Anchor> {
  const server = await start(context, 'anchor', join(context.dist, 'bench', 'anchorServer.js'), anchorEnv(context, ours));
  // The very requests ours is sent, bearer token included, which the anchor never reads: both parse the same bytes.
  const target = (request: EraRequest): LoadTarget => ({ url: `${server.baseUrl}/mcp`, method: 'POST', headers: mcpHeaders(context.token, request.headers), body: request.body });
  const toolsList = target(toolsListRequest('legacy'));
  const echo = target(toolCall('legacy', 'echo', {}));
  const graph = target(toolCall('legacy', 'graph', {}));
  const modern = { toolsList: target(toolsListRequest('modern')), echo: target(toolCall('modern', 'echo', {})) };
  await check(toolsList, 'anchor tools/list');
  await check(echo, 'anchor echo');
  await check(graph, 'anchor graph');
  await check(modern.toolsList, 'anchor tools/list, 2026-07-28');
  await check(modern.echo, 'anchor echo, 2026-07-28');
  return { server, toolsList, echo, graph, modern, warmups: [toolsList, echo, graph] };
}

/** Our server's environment: dev mode pointed at the stand-ins, budgets that never refuse (so counting still runs). */
export function oursEnv(context: SubjectContext): Record<string, string> {
  return {
    MCP_DEV_MODE: '1',
    ENTRA_AUTHORITY_HOST: context.standIns.idp.url,
    GRAPH_BASE_URL: context.standIns.graph.url,
    NODE_EXTRA_CA_CERTS: context.certPath,
    TABLES_CONNECTION_STRING: context.standIns.tablesConnectionString,
    TABLES_PREFIX: `bench${randomUUID().replaceAll('-', '').slice(0, 10)}`,
    RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
    RATE_LIMIT_USER_PER_MINUTE: '1000000',
  };
}

export function oursScript(context: SubjectContext): string {
  return join(context.dist, 'dev', 'host.js');
}

export async function startOurs(context: SubjectContext): Promise<Ours> {
  const { standIns } = context;
  const server = await start(context, 'ours', oursScript(context), oursEnv(context));
  const target = (request: EraRequest): LoadTarget => ({ url: `${server.baseUrl}/mcp`, method: 'POST', headers: mcpHeaders(context.token, request.headers), body: request.body });
  const toolsList = target(toolsListRequest('legacy'));
  const listAnswer = await post(toolsList.url, toolsList.headers, toolsList.body!);
  const toolNames = (expectResult(listAnswer, 'ours tools/list')['tools'] as { name: string }[]).map((tool) => tool.name);
  const whoami = target(toolCall('legacy', 'whoami', { profile: false }));
  await check(whoami, 'ours whoami');

  const graphToolCall = toolNames.includes('list_events')
    ? { name: 'list_events', arguments: { start: new Date(Date.now() - 7 * DAY_MS).toISOString(), end: new Date(Date.now() + 7 * DAY_MS).toISOString(), top: 10 } }
    : { name: 'list_messages', arguments: { top: 10 } };
  const graphTool = target(toolCall('legacy', graphToolCall.name, graphToolCall.arguments));
  const before = standIns.graph.requests.length;
  await check(graphTool, `ours ${graphToolCall.name}`);
  const recorded = standIns.graph.requests.slice(before);
  const graphRequest = recorded[0];
  if (recorded.length !== 1 || graphRequest?.status !== 200) throw new Error(`${graphToolCall.name} made ${recorded.length} Graph requests (expected one, answered 200)`);

  const now = Math.floor(Date.now() / 1000);
  const graphToken = await standIns.idp.sign({
    aud: GRAPH_AUDIENCE, iss: standIns.idp.issuer(ADELE.tid), iat: now, nbf: now, exp: now + 3600,
    tid: ADELE.tid, oid: ADELE.oid, scp: graphRequest.scopes.join(' '), upn: ADELE.upn, name: ADELE.name,
    azp: DEV_CLIENT_ID, idtyp: 'user', ver: '1.0', uti: randomUUID(),
  });
  const direct: LoadTarget = {
    url: `${standIns.graph.url}${graphRequest.url}`,
    method: 'GET',
    headers: { authorization: `Bearer ${graphToken}`, ...(graphToolCall.name === 'list_events' && { prefer: 'outlook.timezone="UTC"' }) },
  };
  const directAnswer = await fetch(direct.url, { headers: direct.headers });
  const directText = await directAnswer.text();
  if (directAnswer.status !== 200) throw new Error(`direct Graph request: HTTP ${directAnswer.status}: ${directText.slice(0, 300)}`);

  const modern = {
    toolsList: target(toolsListRequest('modern')),
    whoami: target(toolCall('modern', 'whoami', { profile: false })),
    graphTool: target(toolCall('modern', graphToolCall.name, graphToolCall.arguments)),
    refused: target(refusedCall('modern', 'whoami')),
  };
  await check(modern.toolsList, 'ours tools/list, 2026-07-28');
  await check(modern.whoami, 'ours whoami, 2026-07-28');
  await check(modern.graphTool, `ours ${graphToolCall.name}, 2026-07-28`);
  // Refused by ours' own params check (its code), not by the SDK's.
  const refusal = expectErrorCode(await post(modern.refused.url, modern.refused.headers, modern.refused.body ?? ''), 'ours whoami with a list for arguments, 2026-07-28');
  if (refusal !== 'input_invalid') throw new Error(`ours whoami with a list for arguments, 2026-07-28: refused with ${String(refusal)}, not input_invalid`);

  return {
    server,
    toolsList,
    whoami,
    graphTool,
    modern,
    graphToolCall,
    direct,
    directPath: graphRequest.path.replace(/^\/v1\.0/, ''),
    toolsListBytes: Buffer.byteLength(listAnswer.text),
    toolCount: toolNames.length,
    warmups: [toolsList, whoami, graphTool],
  };
}

/**
 * The same server as `startOurs` with OTEL_EXPORTER_OTLP_ENDPOINT set, at the documented defaults: no
 * OTEL_TRACES_SAMPLER (one new trace in ten; every request counted in the metrics), the standard batching and metric interval. The child's
 * environment holds nothing else (`startServerProcess`), so an operator's own OTEL_* settings never leak in.
 */
export async function startWithTelemetry(context: SubjectContext, ours: Ours): Promise<WithTelemetry> {
  const env = { ...oursEnv(context), OTEL_EXPORTER_OTLP_ENDPOINT: context.standIns.otlp.endpoint };
  const server = await start(context, 'ours telemetry on', oursScript(context), env);
  const retarget = (target: LoadTarget): LoadTarget => ({ ...target, url: `${server.baseUrl}/mcp` });
  const whoami = retarget(ours.whoami);
  const graphTool = retarget(ours.graphTool);
  await check(whoami, 'ours whoami, telemetry on');
  await check(graphTool, `ours ${ours.graphToolCall.name}, telemetry on`);
  return { server, whoami, graphTool, warmups: [whoami, graphTool] };
}
