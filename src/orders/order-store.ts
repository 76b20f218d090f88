import type { Order } from './order.ts';

export interface OrderStore {
  get(orderId: string): Promise<Order | undefined>;
  /** Read-change-write under the order's lock, so events, reminders and answers never overwrite each other. */
  update(
    orderId: string,
    change: (order: Order | undefined) => Order | undefined,
  ): Promise<Order | undefined>;
  /** Orders placed on `day` (YYYY-MM-DD in the shop's time zone), latest first, at most `limit`. */
  placedOn(day: string, limit: number): Promise<Order[]>;
  /** Orders with an invoice asked for and not issued yet, oldest request first (at most 200). */
  invoicesWaiting(): Promise<Order[]>;
  /** The conversation's most recently updated order. */
  latestFor(conversationId: string): Promise<Order | undefined>;
  /** A reminder sent, skipped (and why) or converted (paid within 24 h), on its day in the shop's time zone. */
  countReminder(outcome: 'sent' | 'converted' | 'skipped', at: Date, reason?: string): Promise<void>;
  /** Paid orders a buyer asked to cancel: the warehouse must stop them and the buyer hear back. */
  addWarehouseTask(orderId: string, at: Date): Promise<void>;
  warehouseTasks(): Promise<Order[]>;
  closeWarehouseTask(orderId: string): Promise<boolean>;
  /**
   * Reminders sent, skipped (by reason), and paid within 24 h (conversionRate: converted ÷ sent):
   * for those days of the shop's time zone, or since the start without.
   */
  reminderStats(days?: { from: string; to: string }): Promise<{
    sent: number;
    converted: number;
    skipped: number;
    skippedBy: Record<string, number>;
    conversionRate: number | null;
  }>;
}
