// The `key=value,key=value` settings of OpenTelemetry (OTLP headers, resource attributes): their entries and the
// percent-decoding of their parts, shared by both parsers; what makes an entry valid is each parser's own.

/** The entries of a comma-separated list, each trimmed, empty ones dropped. */
export function listEntries(value: string): string[] {
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** `text` percent-decoded; undefined for a malformed escape (the caller names the entry, never its text). */
export function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
