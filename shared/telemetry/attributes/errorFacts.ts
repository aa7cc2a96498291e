// What telemetry may say about a failure: its typed code, an HTTP status, an AADSTS number; never its free text.

export interface ErrorFacts {
  /** The boundary error's typed `code` (`consent_required`, `throttled`, ...), else the error's class name, else `_OTHER`. */
  readonly code: string;
  /** True when the code is one of ours (a string-literal `code`), false for an unexpected failure. */
  readonly typed: boolean;
  /** The first HTTP status found on the error or its causes. */
  readonly status: number | undefined;
  /** The AADSTS number Entra put in the error or its causes, digits only. */
  readonly aadsts: string | undefined;
  /** Entra's correlation id (a GUID), for a support request to Microsoft. */
  readonly entraCorrelationId: string | undefined;
  /** Graph's own error code (`itemNotFound`, `ErrorAccessDenied`), when it is an identifier: never Graph's error text. */
  readonly graphCode: string | undefined;
}

const CODE = /^[a-z][a-z0-9_]{0,63}$/;
const CLASS_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const AADSTS = /AADSTS(\d{4,7})/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GRAPH_CODE = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;
/** Causes are followed this deep; a cycle or a long chain is not worth more. */
const MAX_DEPTH = 5;

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/** A typed code as telemetry may carry it (`snake_case`, at most 64 characters), else `fallback`. */
export function typedCode(value: unknown, fallback: string): string {
  return typeof value === 'string' && CODE.test(value) ? value : fallback;
}

/** Reads a thrown value and its `cause` chain. */
export function errorFacts(error: unknown): ErrorFacts {
  const ownCode = field(error, 'code');
  const typed = typeof ownCode === 'string' && CODE.test(ownCode);
  const name = error instanceof Error && CLASS_NAME.test(error.name) ? error.name : '_OTHER';
  let status: number | undefined;
  let aadsts: string | undefined;
  let entraCorrelationId: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH && current !== undefined && current !== null; depth++) {
    const candidate = field(current, 'statusCode') ?? field(current, 'status');
    if (status === undefined && typeof candidate === 'number' && Number.isInteger(candidate)) status = candidate;
    for (const text of [field(current, 'errorMessage'), field(current, 'message')]) {
      if (aadsts === undefined && typeof text === 'string') aadsts = AADSTS.exec(text)?.[1];
    }
    const correlation = field(current, 'correlationId');
    if (entraCorrelationId === undefined && typeof correlation === 'string' && GUID.test(correlation)) entraCorrelationId = correlation.toLowerCase();
    current = field(current, 'cause');
  }
  const graphCode = field(error, 'graphCode');
  return { code: typed ? ownCode : name, typed, status, aadsts, entraCorrelationId, graphCode: typeof graphCode === 'string' && GRAPH_CODE.test(graphCode) ? graphCode : undefined };
}
