// The single-use records of multi-round states: what each is bound to, until it is used or expires.
import type { CallBinding } from './callBinding.js';

export interface StateStore {
  /**
   * Records a new state bound to `binding`, valid until `expiresAt` (ms since the epoch); returns its id (22
   * base64url characters, 128 random bits). Throws `RequestStateError` (`state_unverifiable`).
   */
  create(binding: CallBinding, expiresAt: number): Promise<string>;
  /**
   * Uses the state `id` once, for `binding`. A state bound to another caller or call is refused and left for its
   * own; a used, expired or unknown one is `state_replayed`. Throws `RequestStateError` (`state_replayed`,
   * `state_other_caller`, `state_other_call`, `state_unverifiable`).
   */
  consume(id: string, binding: CallBinding): Promise<void>;
  /** Deletes the records that expired before `now`; returns how many. Throws `StoreError`. */
  purgeBefore(now: number): Promise<number>;
}
