// StateStore on Table Storage: one row per state, deleted by its single use (an ETag-conditional delete, so two
// uses at once cannot both succeed) or by the purge once expired.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { deleteMatching, type TableClients } from '../tables/tableClients.js';
import { StoreError, toStoreError } from '../tables/storeError.js';
import { loadTablesSdk } from '../tables/tablesSdk.js';
import { RequestStateError } from './requestStateError.js';
import type { StateStore } from './stateStore.js';

interface StateRow {
  readonly tid: string;
  readonly oid: string;
  readonly appId: string;
  readonly tool: string;
  readonly argumentsHash: string;
  readonly expiresAt: number;
}

const ROW_KEY = 'state';

const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function createTableStateStore(tables: TableClients, now: () => number = Date.now): StateStore {
  const table = () => tables.table('RequestStates');
  const unverifiable = (error: unknown) => new RequestStateError('state_unverifiable', 'Table Storage could not record or check the requestState', { cause: error });

  return {
    async create(binding, expiresAt) {
      const id = randomBytes(16).toString('base64url');
      const row: StateRow = { ...binding, expiresAt };
      try {
        await table().createEntity({ partitionKey: id, rowKey: ROW_KEY, ...row });
      } catch (error) {
        throw unverifiable(error);
      }
      return id;
    },

    async consume(id, binding) {
      let row: StateRow & { etag: string };
      try {
        row = await table().getEntity<StateRow>(id, ROW_KEY);
      } catch (error) {
        if (error instanceof StoreError && error.code === 'not_found') throw new RequestStateError('state_replayed', 'the requestState was already used, or never recorded');
        throw unverifiable(error);
      }
      // The seal's own expiry is checked first; this is the record's, for a row the purge has not reached yet.
      if (typeof row.expiresAt !== 'number' || row.expiresAt < now()) throw new RequestStateError('state_expired', 'the requestState record has expired');
      if (!same(row.tid, binding.tid) || !same(row.oid, binding.oid) || !same(row.appId, binding.appId)) {
        throw new RequestStateError('state_other_caller', 'the requestState was sealed for another user or client app');
      }
      if (!same(row.tool, binding.tool) || !same(row.argumentsHash, binding.argumentsHash)) {
        throw new RequestStateError('state_other_call', 'the requestState was sealed for another tool or other arguments');
      }
      let deleted: boolean;
      try {
        deleted = await table().deleteEntity(id, ROW_KEY, row.etag);
      } catch (error) {
        if (error instanceof StoreError && error.code === 'conflict') throw new RequestStateError('state_replayed', 'the requestState was used meanwhile');
        throw unverifiable(error);
      }
      if (!deleted) throw new RequestStateError('state_replayed', 'the requestState was used meanwhile');
    },

    async purgeBefore(time) {
      try {
        const { odata } = await loadTablesSdk();
        return await deleteMatching(table(), odata`expiresAt lt ${time}`);
      } catch (error) {
        throw toStoreError(error, 'purge request states');
      }
    },
  };
}
