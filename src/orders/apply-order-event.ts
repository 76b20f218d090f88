import type { OrderEvent } from './order-event.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { nextReminderAt, type ReminderRules } from './next-reminder-at.ts';
import { applyOrderEvent, placedAt, type Order } from './order.ts';
import type { OrderStore } from './order-store.ts';
import type { ReminderQueue } from './reminder-queue.ts';

const CONVERSION_WINDOW_MS = 24 * 3600_000;

export interface ApplyOrderEventDeps {
  orders: OrderStore;
  reminders: Pick<ReminderQueue, 'schedule' | 'cancel'>;
  rules: ReminderRules;
  clock: Clock;
  log: Logger;
}

/** Folds an order event into the order, then schedules, keeps or cancels its one reminder. */
export function createApplyOrderEvent(deps: ApplyOrderEventDeps) {
  return async function applyEvent(event: OrderEvent): Promise<Order> {
    const now = deps.clock.now();
    let converted = false;
    const order = (await deps.orders.update(event.orderId, (current) => {
      const next = applyOrderEvent(current, event, now);
      const sentAt = next.reminder?.sentAt;
      if (
        event.type === 'paid' &&
        sentAt &&
        !next.reminder?.convertedAt &&
        Date.parse(event.at) - Date.parse(sentAt) <= CONVERSION_WINDOW_MS
      ) {
        converted = true;
        next.reminder = { ...next.reminder, convertedAt: event.at };
      }
      return next;
    }))!;
    if (converted) await deps.orders.countReminder('converted', new Date(event.at));

    if (order.state !== 'created') {
      await deps.reminders.cancel(order.orderId);
    } else if (!order.reminder?.scheduledFor && !order.reminder?.sentAt) {
      const at = nextReminderAt(placedAt(order), deps.rules, now);
      if (at) {
        await deps.reminders.schedule(order.orderId, at, now);
        await deps.orders.update(order.orderId, (o) =>
          o ? { ...o, reminder: { ...o.reminder, scheduledFor: at.toISOString() } } : o,
        );
        deps.log.info(
          { orderId: order.orderId, at: at.toISOString(), delayMs: at.getTime() - now.getTime() },
          'reminder scheduled',
        );
      } else {
        deps.log.info(
          { orderId: order.orderId },
          'no reminder: none fits before the order closes or outside quiet hours',
        );
      }
    }
    deps.log.info({ orderId: event.orderId, type: event.type, state: order.state }, 'order event applied');
    return order;
  };
}
