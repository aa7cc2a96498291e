// Whether a telemetry pipeline is installed: instrumented code skips all span work while it is not.

let active = false;

/** True once `startTelemetry` (or a test's pipeline) has installed providers; cheap enough for every call. */
export function telemetryActive(): boolean {
  return active;
}

/** Called by the pipeline that installs or removes the global providers. */
export function setTelemetryActive(on: boolean): void {
  active = on;
}
