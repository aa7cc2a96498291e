// SessionStore on Table Storage: one row per session, partitioned by id so every read is a point read.
import { odata } from '@azure/data-tables';
import { deleteMatching, type TableClients } from '../tables/tableClients.js';
import { toStoreError } from '../tables/storeError.js';
import type { SessionRecord, SessionStore } from './sessionStore.js';

const ROW = 'session';

type SessionEntity = Omit<SessionRecord, 'id' | 'appId'> & { appId?: string };

export function createTableSessionStore(tables: TableClients): SessionStore {
  const table = tables.table('Sessions');
  return {
    async create(record) {
      const { id, appId, ...rest } = record;
      try {
        await table.createEntity<SessionEntity>({ partitionKey: id, rowKey: ROW, ...rest, ...(appId !== undefined && { appId }) });
      } catch (error) {
        throw toStoreError(error, 'create session');
      }
    },
    async get(id) {
      try {
        const entity = await table.getEntity<SessionEntity>(id, ROW);
        return {
          id,
          tid: entity.tid,
          oid: entity.oid,
          appId: entity.appId,
          protocolVersion: entity.protocolVersion,
          clientInfo: entity.clientInfo,
          capabilities: entity.capabilities,
          createdAt: entity.createdAt,
          lastSeenAt: entity.lastSeenAt,
          expiresAt: entity.expiresAt,
          absoluteExpiresAt: entity.absoluteExpiresAt,
        };
      } catch (error) {
        const failure = toStoreError(error, 'read session');
        if (failure.code === 'not_found') return undefined;
        throw failure;
      }
    },
    async touch(id, lastSeenAt, expiresAt) {
      try {
        await table.updateEntity({ partitionKey: id, rowKey: ROW, lastSeenAt, expiresAt }, 'Merge');
      } catch (error) {
        throw toStoreError(error, 'touch session');
      }
    },
    async delete(id) {
      try {
        await table.deleteEntity(id, ROW);
      } catch (error) {
        throw toStoreError(error, 'delete session');
      }
    },
    async purgeExpired(now) {
      try {
        return await deleteMatching(table, odata`expiresAt lt ${now}`);
      } catch (error) {
        throw toStoreError(error, 'purge sessions');
      }
    },
  };
}
