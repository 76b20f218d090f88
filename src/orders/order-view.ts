import { placedAt, type Order } from './order.ts';

/** Where an unpaid order's reminder stands, for the orders page. */
export type ReminderState =
  | { state: 'scheduled'; at: string }
  | { state: 'sent'; at: string }
  | { state: 'converted'; at: string; sentAt?: string }
  | { state: 'skipped'; reason: string }
  | { state: 'none' };

export function reminderState(order: Order): ReminderState {
  const r = order.reminder;
  if (r?.convertedAt)
    return { state: 'converted', at: r.convertedAt, ...(r.sentAt ? { sentAt: r.sentAt } : {}) };
  if (r?.sentAt) return { state: 'sent', at: r.sentAt };
  if (r?.skipped) return { state: 'skipped', reason: r.skipped };
  // Paid or cancelled before it was due: the scheduled reminder was called off.
  if (r?.scheduledFor && order.state === 'created') return { state: 'scheduled', at: r.scheduledFor };
  // An unpaid order with none: no reminder time fitted before it closes (or out of quiet hours).
  return { state: 'none' };
}

/** One order as the orders page lists it. */
export function orderRow(order: Order) {
  return {
    orderId: order.orderId,
    buyerId: order.buyerId,
    conversationId: order.conversationId,
    state: order.state,
    total: order.total,
    items: order.items.reduce((n, item) => n + item.qty, 0),
    placedAt: placedAt(order).toISOString(),
    ...(order.at.paid ? { paidAt: order.at.paid } : {}),
    reminder: reminderState(order),
  };
}

/** A paid order the buyer asked to cancel: the warehouse must stop it (the desk's tasks, the orders page). */
export function warehouseRow(order: Order) {
  return {
    orderId: order.orderId,
    conversationId: order.conversationId,
    buyerId: order.buyerId,
    state: order.state,
    total: order.total,
    askedAt: order.notes.find((n) => n.kind === 'warehouse-stop')?.at,
  };
}

/** An invoice the buyer asked for: the title and tax id they gave, when, and the order's state. */
export function invoiceRow(order: Order) {
  return {
    orderId: order.orderId,
    buyerId: order.buyerId,
    state: order.state,
    total: order.total,
    title: order.invoice?.title,
    taxId: order.invoice?.taxId,
    requestedAt: order.invoice?.requestedAt,
    ...(order.at.shipped ? { shippedAt: order.at.shipped } : {}),
  };
}
