// The seal of multi-round state during a key rotation: the new key seals, the retiring one still opens what it
// sealed, and a key dropped from the settings opens nothing.
import { describe, expect, it } from 'vitest';
import { createStateSeal } from '../../shared/requestState/stateSeal.js';

const OLD = 'o'.repeat(48);
const NEW = 'n'.repeat(48);
const STATE = { id: 'A'.repeat(22), confirmed: false };

describe('rotating MCP_REQUEST_STATE_KEY', () => {
  it('state sealed with the previous key still opens while MCP_REQUEST_STATE_KEY_PREVIOUS holds it', async () => {
    const sealedBefore = await createStateSeal({ current: OLD, previous: undefined }).seal(STATE);
    const rotating = createStateSeal({ current: NEW, previous: OLD });
    await expect(rotating.open(sealedBefore)).resolves.toEqual(STATE);
    await expect(rotating.open(await rotating.seal(STATE))).resolves.toEqual(STATE);
  });

  it('once the previous key is removed, what it sealed is refused as state_invalid', async () => {
    const sealedBefore = await createStateSeal({ current: OLD, previous: undefined }).seal(STATE);
    await expect(createStateSeal({ current: NEW, previous: undefined }).open(sealedBefore)).rejects.toMatchObject({ name: 'RequestStateError', code: 'state_invalid' });
  });

  it('new state is sealed with the current key only', async () => {
    const sealed = await createStateSeal({ current: NEW, previous: OLD }).seal(STATE);
    await expect(createStateSeal({ current: OLD, previous: undefined }).open(sealed)).rejects.toMatchObject({ code: 'state_invalid' });
  });

  it('a genuine seal over something that is not our state is refused', async () => {
    const seal = createStateSeal({ current: NEW, previous: undefined });
    await expect(seal.open(await seal.seal({ id: '../../etc', confirmed: true }))).rejects.toMatchObject({ code: 'state_invalid' });
  });
});
