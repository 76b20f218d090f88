import { z } from 'zod';
import { InboundMessageSchema } from '../message.ts';
import { OrderEventFieldsSchema, withItemsWhenCreated } from '../../orders/order-event.ts';
import { isWebConversationId, WEB_CONVERSATION_PREFIX } from '../web/web-conversation-id.ts';

const id = z.string().trim().min(1).max(200);

/** The built-in web chat's prefix is its own: a channel's conversation can't become, or reach into, a web chat. */
const webOnly = `conversation ids starting with "${WEB_CONVERSATION_PREFIX}" belong to the built-in web chat`;
const channelConversationId = id.refine((value) => !isWebConversationId(value), webOnly);

/** A buyer message as the generic channel may send it. */
export const GenericMessageSchema = InboundMessageSchema.extend({ conversationId: channelConversationId });

/** An order event as the generic channel may send it: for one of its own conversations. */
export const GenericOrderEventSchema = withItemsWhenCreated(
  OrderEventFieldsSchema.extend({ conversationId: channelConversationId }),
);
