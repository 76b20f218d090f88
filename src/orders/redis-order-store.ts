import { BusyError } from '../shared/errors.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import type { Keys } from '../shared/keys.ts';
import { readJson, withRedisLock } from '../shared/redis-helpers.ts';
import { localDate } from '../shared/zoned-time.ts';
import { daysBetween, sumCounts } from '../stats/stats-store.ts';
import { OrderSchema, placedAt, type Order } from './order.ts';
import { type OrderStore } from './order-store.ts';

const LOCK_MS = 5_000;

/** A day's reminder figures are kept as long as the other figures. */
const DAYS_KEPT = 400;

export function createRedisOrderStore(
  redis: RedisClient,
  k: Keys,
  retentionSeconds: number,
  timeZone: string,
): OrderStore {
  const get = (orderId: string) => readJson(redis, k.order(orderId), OrderSchema);
  const read = async (ids: string[]) =>
    (await Promise.all(ids.map(get))).filter((o): o is Order => o !== undefined);
  /**
   * The day it was placed on (moved when an earlier event arrives late), and the invoice waiting
   * to be issued, for the orders page; written only when they change, not on every update.
   * Invoices asked for longer ago than orders are kept leave the list.
   */
  async function indexForPages(order: Order, before: Order | undefined): Promise<void> {
    const placed = placedAt(order);
    const placedBefore = before ? placedAt(before) : undefined;
    if (placedBefore?.getTime() !== placed.getTime()) {
      const day = localDate(placed, timeZone);
      await redis
        .multi()
        .zadd(k.ordersOn(day), placed.getTime(), order.orderId)
        .expire(k.ordersOn(day), retentionSeconds)
        .exec();
      const earlier = placedBefore && localDate(placedBefore, timeZone);
      if (earlier && earlier !== day) await redis.zrem(k.ordersOn(earlier), order.orderId);
    }
    const waiting = (o: Order | undefined) => (o?.invoice && !o.invoice.issuedAt ? o.invoice : undefined);
    const invoice = waiting(order);
    const invoices = k.invoicesWaiting();
    if (invoice && !waiting(before))
      await redis
        .multi()
        .zadd(invoices, 'NX', Date.parse(invoice.requestedAt), order.orderId)
        .zremrangebyscore(invoices, '-inf', `(${Date.now() - retentionSeconds * 1000}`)
        .expire(invoices, retentionSeconds)
        .exec();
    else if (!invoice && waiting(before)) await redis.zrem(invoices, order.orderId);
  }

  return {
    get,
    async update(orderId, change) {
      const locked = await withRedisLock(
        redis,
        `${k.order(orderId)}:lock`,
        { ttlMs: LOCK_MS, waitMs: LOCK_MS },
        async () => {
          const before = await get(orderId);
          const next = change(before);
          if (next) {
            // The conversation's index first, then the record (different cluster slots, so two
            // steps): a crash in between leaves an index entry that reads as no order until the
            // event's retry writes the record, never a record the conversation can't find.
            const index = k.conversationOrders(next.conversationId);
            await redis
              .multi()
              .zadd(index, Date.parse(next.updatedAt), orderId)
              .expire(index, retentionSeconds)
              .exec();
            await redis.set(k.order(orderId), JSON.stringify(next), 'EX', retentionSeconds);
            await indexForPages(next, before);
          }
          return next;
        },
      );
      if (!locked.ran) throw new BusyError(`order ${orderId}`);
      return locked.value;
    },
    async placedOn(day, limit) {
      return read(await redis.zrevrange(k.ordersOn(day), 0, limit - 1));
    },
    async invoicesWaiting() {
      const ids = await redis.zrange(k.invoicesWaiting(), 0, 199);
      const orders = await read(ids);
      // An order gone (its retention passed) leaves the list.
      const gone = ids.filter((id) => !orders.some((o) => o.orderId === id));
      if (gone.length > 0) await redis.zrem(k.invoicesWaiting(), ...gone);
      return orders;
    },
    async latestFor(conversationId) {
      const [orderId] = await redis.zrevrange(k.conversationOrders(conversationId), 0, 0);
      return orderId ? get(orderId) : undefined;
    },
    async addWarehouseTask(orderId, at) {
      await redis.zadd(k.warehouseTasks(), 'NX', at.getTime(), orderId);
    },
    async warehouseTasks() {
      return read(await redis.zrange(k.warehouseTasks(), 0, 199));
    },
    async closeWarehouseTask(orderId) {
      return (await redis.zrem(k.warehouseTasks(), orderId)) === 1;
    },
    async countReminder(outcome, at, reason) {
      const day = k.reminderStatsDay(localDate(at, timeZone));
      const multi = redis.multi().hincrby(k.reminderStats(), outcome, 1).hincrby(day, outcome, 1);
      if (outcome === 'skipped' && reason) {
        const why = `skipped:${reason.slice(0, 100)}`;
        multi.hincrby(k.reminderStats(), why, 1).hincrby(day, why, 1);
      }
      await multi.expire(day, DAYS_KEPT * 86_400).exec();
    },
    async reminderStats(days) {
      const hashes = days
        ? await Promise.all(daysBetween(days.from, days.to).map((d) => redis.hgetall(k.reminderStatsDay(d))))
        : [await redis.hgetall(k.reminderStats())];
      const total = sumCounts(hashes);
      const sent = total.sent ?? 0;
      const converted = total.converted ?? 0;
      const skippedBy = Object.fromEntries(
        Object.entries(total)
          .filter(([field]) => field.startsWith('skipped:'))
          .map(([field, n]) => [field.slice('skipped:'.length), n]),
      );
      return {
        sent,
        converted,
        skipped: total.skipped ?? 0,
        skippedBy,
        conversionRate: sent ? Math.round((converted / sent) * 1000) / 1000 : null,
      };
    },
  };
}
