// The overall deadline of one HTTP request: what waits on storage, Entra or the body gives up when it passes,
// and the SDK stage answers every request still pending.
import { HttpError } from '../http/httpError.js';

export interface Deadline {
  readonly seconds: number;
  /** Settles when the deadline passes (never rejects). */
  readonly passed: Promise<void>;
  /** `work`, unless the deadline passes first: then rejects with `HttpError` `request_timeout`. */
  race<T>(work: Promise<T>): Promise<T>;
  /** Stops the timer; call when the request is answered. */
  clear(): void;
}

export function startDeadline(timeoutMs: number): Deadline {
  // A plain timer and promise: an AbortController and its event listener would cost more than the rest of
  // this per request, and nothing here needs a signal (the SDK stage aborts its handlers by closing).
  let pass: () => void = () => undefined;
  const passed = new Promise<void>((resolve) => {
    pass = resolve;
  });
  const timer = setTimeout(pass, timeoutMs);
  const seconds = Math.round(timeoutMs / 1000);
  const timedOut = passed.then((): never => {
    throw new HttpError('request_timeout', `The request did not complete within ${seconds} seconds; try again`);
  });
  // Nobody may be racing when it passes.
  timedOut.catch(() => undefined);
  return {
    seconds,
    passed,
    race: (work) => Promise.race([work, timedOut]),
    clear: () => clearTimeout(timer),
  };
}
