// Seals what a multi-round request carries through the client, with the SDK's own HMAC-SHA256 codec: the current
// key seals and verifies, a previous one (during a rotation) only verifies.
import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';
import { RequestStateError } from './requestStateError.js';

/** How long a person has to answer: a round older than this is refused, and the call must start again. */
export const STATE_TTL_SECONDS = 600;

/**
 * What the sealed state holds, readable by the client (signed, not encrypted): nothing about the caller or the
 * call, only the id of the server-side record that binds it to them, and what was settled in the rounds before.
 */
export interface SealedState {
  /** Id of its single-use record (`StateStore`). */
  readonly id: string;
  /** The person accepted the confirmation in an earlier round of this same call. */
  readonly confirmed: boolean;
}

export interface StateSeal {
  seal(state: SealedState): Promise<string>;
  /** Throws `RequestStateError` (`state_invalid`, `state_expired`). */
  open(wire: string): Promise<SealedState>;
}

export interface StateKeys {
  readonly current: string;
  readonly previous: string | undefined;
}

function isSealedState(value: unknown): value is SealedState {
  if (typeof value !== 'object' || value === null) return false;
  const { id, confirmed } = value as Record<string, unknown>;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{22}$/.test(id) && typeof confirmed === 'boolean';
}

export function createStateSeal(keys: StateKeys): StateSeal {
  const current: RequestStateCodec<SealedState> = createRequestStateCodec({ key: keys.current, ttlSeconds: STATE_TTL_SECONDS });
  const previous = keys.previous === undefined ? undefined : createRequestStateCodec<SealedState>({ key: keys.previous, ttlSeconds: STATE_TTL_SECONDS });

  // The codec's verify needs no handler context without a `bind` callback; the binding lives in the record instead.
  const verify = async (codec: RequestStateCodec<SealedState>, wire: string): Promise<SealedState> => await codec.verify(wire, undefined as never);

  return {
    seal: (state) => current.mint(state),
    async open(wire) {
      let opened: unknown;
      try {
        opened = await verify(current, wire);
      } catch (error) {
        // The codec's reasons are fixed words: `malformed`, `mac`, `expired`, `bind`.
        const reason = error instanceof Error ? error.message : '';
        if (reason === 'mac' && previous !== undefined) {
          try {
            opened = await verify(previous, wire);
          } catch (again) {
            throw refusal(again instanceof Error ? again.message : '', again);
          }
        } else {
          throw refusal(reason, error);
        }
      }
      if (!isSealedState(opened)) throw new RequestStateError('state_invalid', 'the requestState holds no state this server seals');
      return opened;
    },
  };
}

function refusal(reason: string, cause: unknown): RequestStateError {
  return reason === 'expired'
    ? new RequestStateError('state_expired', 'the requestState is older than its lifetime', { cause })
    : new RequestStateError('state_invalid', 'the requestState was not sealed by this server', { cause });
}
