import type { Catalog } from '../catalog/catalog.ts';
import { answerContext } from '../answers/answer-context.ts';
import type { IntentBook } from '../answers/load-intents.ts';
import { renderTemplate } from '../answers/render-template.ts';
import type { ConversationStore } from '../conversations/conversation-store.ts';
import type { ChannelLimits } from '../channels/channel.ts';
import { channelOfConversation, type ChannelId } from '../channels/message.ts';
import type { Outbox } from '../outbox/outbox-queue.ts';
import { queueMessage } from '../outbox/queue-message.ts';
import type { Clock } from '../shared/clock.ts';
import { jobIdFor } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import { inWindow, localDate, localSecondsOfDay, secondsOfDay } from '../shared/zoned-time.ts';
import type { OrderStore } from '../orders/order-store.ts';

export interface ReminderSettings {
  timeZone: string;
  quietHours: string;
  shipCutoff: string;
}

export interface SendReminderDeps {
  orders: OrderStore;
  conversations: ConversationStore;
  catalog: Catalog;
  intents: IntentBook;
  outbox: Pick<Outbox, 'enqueue'>;
  /** The platforms' rules: a reminder outside WhatsApp's window goes as its template, or not at all. */
  channelLimits: ChannelLimits;
  /** Whether the channel can send (a platform's channel whose settings are not set cannot). */
  channelSends(channel: ChannelId): boolean;
  /** SET NX on the buyer's reminder of the day; answers whether this order holds it. */
  claimBuyerDay(buyerId: string, day: string, orderId: string): Promise<boolean>;
  settings: ReminderSettings;
  clock: Clock;
  log: Logger;
}

export type ReminderOutcome = { kind: 'sent'; messageId: string } | { kind: 'skipped'; reason: string };

/** At send time the order is read again: only a still-unpaid order of a bot conversation is reminded. */
export function createSendReminder(deps: SendReminderDeps) {
  return async function sendReminder(orderId: string): Promise<ReminderOutcome> {
    const now = deps.clock.now();
    const order = await deps.orders.get(orderId);
    const skip = async (reason: string): Promise<ReminderOutcome> => {
      await deps.orders.update(orderId, (o) =>
        o ? { ...o, reminder: { ...o.reminder, skipped: reason }, updatedAt: now.toISOString() } : o,
      );
      await deps.orders.countReminder('skipped', now, reason);
      deps.log.info({ orderId, reason }, 'reminder skipped');
      return { kind: 'skipped', reason };
    };
    if (!order) return { kind: 'skipped', reason: 'order unknown' };
    if (order.reminder?.sentAt) return { kind: 'skipped', reason: 'already reminded' };
    if (order.state !== 'created') return skip(`order is ${order.state}`);
    const seconds = localSecondsOfDay(now, deps.settings.timeZone);
    if (inWindow(seconds, deps.settings.quietHours)) return skip('quiet hours');
    const conversation = await deps.conversations.load(order.conversationId);
    if (conversation && conversation.mode !== 'bot') return skip('a person has the conversation');
    const channel = conversation?.channel ?? channelOfConversation(order.conversationId);
    if (!deps.channelSends(channel)) return skip(`the ${channel} channel is not switched on`);
    const rules = await deps.channelLimits[channel]?.state(order.conversationId, 'reminder');
    if (rules && !rules.open) return skip(rules.reason);
    const product = order.items[0] ? deps.catalog.product(order.items[0].productId) : undefined;
    if (rules?.template && !product)
      return skip(
        'outside the reply window, and the template names the product, which is not in the catalog',
      );
    if (!(await deps.claimBuyerDay(order.buyerId, localDate(now, deps.settings.timeZone), orderId)))
      return skip('buyer already reminded today');

    const language = conversation?.language ?? 'zh';
    const beforeCutoff = seconds < secondsOfDay(deps.settings.shipCutoff);
    const key = product
      ? beforeCutoff
        ? 'reminder-before-cutoff'
        : 'reminder-after-cutoff'
      : beforeCutoff
        ? 'reminder-before-cutoff-no-product'
        : 'reminder-after-cutoff-no-product';
    const context = {
      ...answerContext({
        catalog: deps.catalog,
        language,
        facts: { ...(product ? { product } : {}), activePromotions: 0, hasFreeShipping: false },
        entities: {},
        now,
      }),
      order: { shipCutoff: deps.settings.shipCutoff.slice(0, 5) },
    };
    const variants = deps.intents.system[key][language];
    const text = renderTemplate(variants[0]!, context);
    const messageId = jobIdFor('rem', orderId);
    // Claimed under the order's lock, so a payment applied before this point stops the reminder
    // (an unlocked read could still see the order unpaid).
    let claimed = false;
    await deps.orders.update(orderId, (o) => {
      if (!o || o.state !== 'created' || o.reminder?.sentAt) return o;
      claimed = true;
      return { ...o, reminder: { ...o.reminder, sentAt: now.toISOString() }, updatedAt: now.toISOString() };
    });
    if (!claimed) return { kind: 'skipped', reason: 'paid, cancelled or reminded meanwhile' };
    const message = {
      messageId,
      conversationId: order.conversationId,
      buyerId: order.buyerId,
      text,
      from: 'bot' as const,
      kind: 'reminder' as const,
      ...(product ? { productName: product.name[language] ?? product.name.zh } : {}),
    };
    await deps.conversations.append(order.conversationId, [
      await queueMessage(deps.outbox, { channel, message, whileUnpaid: orderId }, now),
    ]);
    await deps.orders.countReminder('sent', now);
    deps.log.info({ orderId, key }, 'reminder sent');
    return { kind: 'sent', messageId };
  };
}
