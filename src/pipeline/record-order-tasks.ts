import type { NluResult } from '../nlu/classifier.ts';
import type { Order } from '../orders/order.ts';
import type { OrderStore } from '../orders/order-store.ts';
import type { Decision } from '../policy/decide-reply.ts';

/**
 * What an answer promised the shop will do, written on the order for the desk: a warehouse stop
 * for a paid order the buyer cancels, and the invoice title and tax id the buyer gave.
 */
export async function recordOrderTasks(
  orders: OrderStore,
  order: Order,
  acted: { reading: NluResult; decision: Decision }[],
  now: Date,
): Promise<void> {
  for (const { reading, decision } of acted) {
    if (decision.kind !== 'answer') continue;
    const at = now.toISOString();
    if (decision.intent === 'order.cancel' && decision.answerCase === 'paid-not-shipped') {
      await orders.update(order.orderId, (o) =>
        o && !o.notes.some((n) => n.kind === 'warehouse-stop')
          ? {
              ...o,
              notes: [
                ...o.notes,
                {
                  at,
                  kind: 'warehouse-stop',
                  text: 'Buyer asked to cancel: stop the parcel at the warehouse and tell the buyer the result.',
                },
              ],
              updatedAt: at,
            }
          : o,
      );
      await orders.addWarehouseTask(order.orderId, now);
    }
    if (decision.intent === 'invoice' && (reading.entities.invoiceTitle || reading.entities.taxId)) {
      await orders.update(order.orderId, (o) => {
        if (!o) return o;
        const { issuedAt: _issued, ...asked } = o.invoice ?? { requestedAt: at };
        const invoice = {
          ...asked,
          ...(reading.entities.invoiceTitle ? { title: reading.entities.invoiceTitle } : {}),
          ...(reading.entities.taxId ? { taxId: reading.entities.taxId } : {}),
        };
        // New details after the shop issued it: it waits to be issued again, with them.
        const changed = invoice.title !== o.invoice?.title || invoice.taxId !== o.invoice?.taxId;
        const issuedAt = changed ? undefined : o.invoice?.issuedAt;
        return { ...o, invoice: { ...invoice, ...(issuedAt ? { issuedAt } : {}) }, updatedAt: at };
      });
    }
  }
}
