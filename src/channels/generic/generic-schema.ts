import { channelOfConversation, InboundMessageSchema, NAMED_CHANNELS } from '../message.ts';
import { OrderEventFieldsSchema, withItemsWhenCreated } from '../../orders/order-event.ts';
import { isWebConversationId, WEB_CONVERSATION_PREFIX } from '../web/web-conversation-id.ts';
import { IdSchema } from '../../shared/ids.ts';

const otherChannels = NAMED_CHANNELS.map((id) => `"${id}:"`).join(', ');

/** A buyer message through the generic channel is for one of its own conversations, never another channel's. */
const ownConversationId = IdSchema.refine(
  (value) => channelOfConversation(value) === 'generic',
  `conversation ids starting with ${otherChannels} belong to those channels`,
);

/**
 * The built-in web chat's prefix is its own: a channel's conversation can't become, or reach into,
 * a web chat. An order event may name another channel's conversation: the shop's platform reports
 * orders through this webhook whichever channel the buyer chats on, and the reminder goes there.
 */
const webOnly = `conversation ids starting with "${WEB_CONVERSATION_PREFIX}" belong to the built-in web chat`;
const notWebConversationId = IdSchema.refine((value) => !isWebConversationId(value), webOnly);

/** A buyer message as the generic channel may send it. */
export const GenericMessageSchema = InboundMessageSchema.extend({ conversationId: ownConversationId });

/** An order event as the generic channel may send it: for any conversation but a web chat's. */
export const GenericOrderEventSchema = withItemsWhenCreated(
  OrderEventFieldsSchema.extend({ conversationId: notWebConversationId }),
);
