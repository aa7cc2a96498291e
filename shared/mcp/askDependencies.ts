// What asking the person needs: whether to confirm writes, the seal of the state a round carries, its records.
import type { StateSeal } from '../requestState/stateSeal.js';
import type { StateStore } from '../requestState/stateStore.js';

export interface AskDependencies {
  /** MCP_CONFIRM_WRITES. */
  readonly confirmWrites: 'elicit' | 'off';
  /** Undefined when no key is set (confirmation off): no state is sealed, and any a client sends is refused. */
  readonly seal: StateSeal | undefined;
  readonly states: StateStore;
}
