import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.ts';
import type { LocalizedText } from '../catalog/product-schema.ts';
import { localize } from '../answers/answer-context.ts';
import type { ConversationStore } from '../conversations/conversation-store.ts';
import type { InboundQueue } from '../queue/inbound-queue.ts';
import { validated } from '../shared/parse-input.ts';
import { MessageTextSchema } from '../channels/message.ts';
import { WEB_CONVERSATION_ID } from '../channels/web/web-conversation-id.ts';
import type { WebChatStore } from '../channels/web/web-chat-store.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Topic } from '../shared/topic.ts';

/** Open event streams at once: per web chat (a few tabs), per address (an office), in all. */
const STREAMS_PER_CHAT = 3;
const STREAMS_PER_ADDRESS = 20;
const STREAMS_IN_ALL = 5_000;
import { ChatBusyError, RateLimitedError, requestLimiter } from './rate-limit.ts';
import { openEventStream } from './event-stream.ts';

const CHAT_PAGE = fileURLToPath(new URL('../../web/chat.html', import.meta.url));
const CHAT_SCRIPT = fileURLToPath(new URL('../../web/chat.js', import.meta.url));
const webConversationId = z
  .string()
  .regex(WEB_CONVERSATION_ID, 'expected a conversation id the web chat gave');

const ChatMessageSchema = z.object({
  conversationId: webConversationId,
  text: MessageTextSchema,
  productId: z.string().min(1).max(200).optional(),
});

export interface WebChatDeps {
  catalog: Catalog;
  inbound: InboundQueue;
  conversations: ConversationStore;
  chats: WebChatStore;
  /** Web chats with something new: the buyer's page hears at once instead of polling. */
  events: Pick<Topic<string>, 'subscribe'>;
  /**
   * Per address and minute: messages sent plus conversations started, reads (the page polls once a
   * second), and conversations started alone (far below the shop-wide limit, which one address
   * must not be able to spend).
   */
  limits: { sendPerMinute: number; readPerMinute: number; startPerMinute: number };
}

/** The built-in web chat: a buyer talks to the bot with no channel attached. */
export function chatRoutes(deps: WebChatDeps): Router {
  const router = Router();
  // Two budgets: what costs the shop (a message to classify, a conversation kept in Redis) is
  // scarce; reading is cheap and a page polls it, so two tabs or one office proxy stay well within.
  const send = limit('the web chat', deps.limits.sendPerMinute);
  const read = limit('the web chat’s reading', deps.limits.readPerMinute);
  const start = limit('the web chat’s new conversations', deps.limits.startPerMinute);

  router.get('/chat', (_req, res) => res.sendFile(CHAT_PAGE));
  router.get('/chat.js', (_req, res) => res.sendFile(CHAT_SCRIPT));

  router.get('/v1/chat/products', read, (_req, res) => {
    res.json({
      shop: { name: inEveryLanguage(deps.catalog.shop().name) },
      products: deps.catalog
        .products()
        .map((p) => ({ id: p.id, name: inEveryLanguage(p.name), price: p.price })),
    });
  });

  router.post('/v1/chat/conversations', start, send, async (_req, res) => {
    const started = await deps.chats.start();
    if (started.kind === 'busy') {
      res.setHeader('retry-after', String(started.retryAfterSeconds));
      throw new ChatBusyError(started.retryAfterSeconds);
    }
    res.status(201).json({ conversationId: started.conversationId });
  });

  router.post('/v1/chat/messages', send, express.json({ limit: '8kb' }), async (req, res) => {
    const body = validated(ChatMessageSchema, req.body, 'chat message');
    if (!(await deps.chats.isOpen(body.conversationId, { refresh: true }))) throw conversationGone();
    const messageId = `web-${randomUUID()}`;
    await deps.inbound.accept('web', {
      messageId,
      conversationId: body.conversationId,
      buyer: { id: body.conversationId },
      text: body.text,
      sentAt: new Date().toISOString(),
      ...(body.productId ? { productId: body.productId } : {}),
    });
    res.status(202).json({ accepted: true, messageId });
  });

  router.get('/v1/chat/conversations/:id/messages', read, async (req, res) => {
    const { id } = validated(z.object({ id: webConversationId }), req.params, 'path');
    if (!(await deps.chats.isOpen(id))) throw conversationGone();
    const [conversation, messages] = await Promise.all([
      deps.conversations.load(id),
      deps.conversations.history(id, 200),
    ]);
    res.json({
      // The language the bot answers in: the page speaks it too.
      ...(conversation?.language ? { language: conversation.language } : {}),
      // An agent's message carries their name: the buyer sees who is answering.
      messages: messages.map(({ messageId, from, text, at, by }) => ({
        messageId,
        from,
        text,
        at,
        ...(from === 'agent' && by ? { name: by } : {}),
      })),
    });
  });

  // Pushed, not polled: the page hears "something new" and reads the messages once. The
  // conversation id is the buyer's capability, as for the messages themselves. Open streams are
  // capped per conversation, per address and in all: each holds a socket.
  const open = { all: 0, byChat: new Map<string, number>(), byAddress: new Map<string, number>() };
  router.get('/v1/chat/conversations/:id/events', read, async (req, res) => {
    const { id } = validated(z.object({ id: webConversationId }), req.params, 'path');
    if (!(await deps.chats.isOpen(id))) throw conversationGone();
    const address = req.ip ?? 'unknown';
    if (
      open.all >= STREAMS_IN_ALL ||
      (open.byChat.get(id) ?? 0) >= STREAMS_PER_CHAT ||
      (open.byAddress.get(address) ?? 0) >= STREAMS_PER_ADDRESS
    )
      throw new RateLimitedError('too many open streams for this chat; close another tab', 10);
    const count = (map: Map<string, number>, key: string, by: number) => {
      const n = (map.get(key) ?? 0) + by;
      if (n > 0) map.set(key, n);
      else map.delete(key);
    };
    open.all += 1;
    count(open.byChat, id, 1);
    count(open.byAddress, address, 1);
    await openEventStream(
      req,
      res,
      deps.events,
      (changed, sendEvent) => {
        if (changed === id) sendEvent('changed', {});
      },
      () => {
        open.all -= 1;
        count(open.byChat, id, -1);
        count(open.byAddress, address, -1);
      },
    );
  });

  return router;
}

function inEveryLanguage(text: LocalizedText) {
  return { zh: localize(text, 'zh'), en: localize(text, 'en'), es: localize(text, 'es') };
}

function limit(bucket: string, perMinute: number): RequestHandler {
  return requestLimiter({ bucket, perMinute }).middleware;
}

function conversationGone(): NotFoundError {
  return new NotFoundError('no such web chat conversation (it may have expired): start a new one');
}
