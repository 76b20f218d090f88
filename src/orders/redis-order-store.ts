import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from '../shared/keys.ts';
import { OrderSchema, type Order } from './order.ts';

const LOCK_MS = 5_000;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface OrderStore {
  get(orderId: string): Promise<Order | undefined>;
  /** Read-change-write under the order's lock, so events, reminders and answers never overwrite each other. */
  update(orderId: string, change: (order: Order | undefined) => Order | undefined): Promise<Order | undefined>;
  /** The conversation's most recently updated order. */
  latestFor(conversationId: string): Promise<Order | undefined>;
  countReminder(outcome: 'sent' | 'converted' | 'skipped'): Promise<void>;
  /** Paid orders a buyer asked to cancel: the warehouse must stop them and the buyer hear back. */
  addWarehouseTask(orderId: string, at: Date): Promise<void>;
  warehouseTasks(): Promise<Order[]>;
  closeWarehouseTask(orderId: string): Promise<boolean>;
  reminderStats(): Promise<{ sent: number; converted: number; skipped: number }>;
}

export function createRedisOrderStore(redis: Redis, k: Keys, retentionSeconds: number): OrderStore {
  const get = async (orderId: string) => {
    const raw = await redis.get(k.order(orderId));
    if (!raw) return undefined;
    const parsed = OrderSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  };
  return {
    get,
    async update(orderId, change) {
      const lock = `${k.order(orderId)}:lock`;
      const token = randomUUID();
      const deadline = Date.now() + LOCK_MS;
      while ((await redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new Error(`order ${orderId} is locked`);
        await new Promise((r) => setTimeout(r, 10));
      }
      try {
        const next = change(await get(orderId));
        if (next) {
          const score = Date.parse(next.updatedAt);
          await redis
            .multi()
            .set(k.order(orderId), JSON.stringify(next), 'EX', retentionSeconds)
            .zadd(k.conversationOrders(next.conversationId), score, orderId)
            .expire(k.conversationOrders(next.conversationId), retentionSeconds)
            .exec();
        }
        return next;
      } finally {
        await redis.eval(RELEASE, 1, lock, token);
      }
    },
    async latestFor(conversationId) {
      const [orderId] = await redis.zrevrange(k.conversationOrders(conversationId), 0, 0);
      return orderId ? get(orderId) : undefined;
    },
    async addWarehouseTask(orderId, at) {
      await redis.zadd(k.warehouseTasks(), 'NX', at.getTime(), orderId);
    },
    async warehouseTasks() {
      const ids = await redis.zrange(k.warehouseTasks(), 0, 199);
      return (await Promise.all(ids.map(get))).filter((o): o is Order => o !== undefined);
    },
    async closeWarehouseTask(orderId) {
      return (await redis.zrem(k.warehouseTasks(), orderId)) === 1;
    },
    async countReminder(outcome) {
      await redis.hincrby(k.reminderStats(), outcome, 1);
    },
    async reminderStats() {
      const raw = await redis.hgetall(k.reminderStats());
      return { sent: Number(raw.sent ?? 0), converted: Number(raw.converted ?? 0), skipped: Number(raw.skipped ?? 0) };
    },
  };
}
