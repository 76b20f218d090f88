import type { Order } from './order.ts';

export interface OrderStore {
  get(orderId: string): Promise<Order | undefined>;
  /** Read-change-write under the order's lock, so events, reminders and answers never overwrite each other. */
  update(
    orderId: string,
    change: (order: Order | undefined) => Order | undefined,
  ): Promise<Order | undefined>;
  /** The conversation's most recently updated order. */
  latestFor(conversationId: string): Promise<Order | undefined>;
  countReminder(outcome: 'sent' | 'converted' | 'skipped'): Promise<void>;
  /** Paid orders a buyer asked to cancel: the warehouse must stop them and the buyer hear back. */
  addWarehouseTask(orderId: string, at: Date): Promise<void>;
  warehouseTasks(): Promise<Order[]>;
  closeWarehouseTask(orderId: string): Promise<boolean>;
  /** Reminders sent, skipped, and paid within 24 h (conversionRate: converted ÷ sent). */
  reminderStats(): Promise<{
    sent: number;
    converted: number;
    skipped: number;
    conversionRate: number | null;
  }>;
}
