import { InboundMessageSchema } from '../message.ts';
import { OrderEventFieldsSchema, withItemsWhenCreated } from '../../orders/order-event.ts';
import { isWebConversationId, WEB_CONVERSATION_PREFIX } from '../web/web-conversation-id.ts';
import { IdSchema } from '../../shared/ids.ts';

/** The built-in web chat's prefix is its own: a channel's conversation can't become, or reach into, a web chat. */
const webOnly = `conversation ids starting with "${WEB_CONVERSATION_PREFIX}" belong to the built-in web chat`;
const channelConversationId = IdSchema.refine((value) => !isWebConversationId(value), webOnly);

/** A buyer message as the generic channel may send it. */
export const GenericMessageSchema = InboundMessageSchema.extend({ conversationId: channelConversationId });

/** An order event as the generic channel may send it: for one of its own conversations. */
export const GenericOrderEventSchema = withItemsWhenCreated(
  OrderEventFieldsSchema.extend({ conversationId: channelConversationId }),
);
