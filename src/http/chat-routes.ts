import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.ts';
import { localize } from '../answers/answer-context.ts';
import type { ConversationStore } from '../conversations/redis-conversation-store.ts';
import type { InboundQueue } from '../pipeline/inbound-queue.ts';
import { parseOr400 } from './validate.ts';
import { sanitizeText } from '../channels/sanitize-text.ts';

const CHAT_PAGE = fileURLToPath(new URL('../../web/chat.html', import.meta.url));
const webConversationId = z.string().regex(/^web-[A-Za-z0-9-]{8,64}$/, 'expected a web chat conversation id');

const ChatMessageSchema = z.object({
  conversationId: webConversationId,
  text: z.string().max(2000, 'text is over 2000 characters').transform(sanitizeText).pipe(z.string().min(1, 'text is empty')),
  productId: z.string().min(1).max(200).optional(),
});

/** The built-in web chat: a buyer talks to the bot with no channel attached. */
export function chatRoutes(deps: { catalog: Catalog; inbound: InboundQueue; conversations: ConversationStore }): Router {
  const router = Router();

  router.get('/chat', (_req, res) => res.sendFile(CHAT_PAGE));

  router.get('/v1/chat/products', (_req, res) => {
    res.json({
      shop: { name: deps.catalog.shop().name },
      products: deps.catalog.products().map((p) => ({
        id: p.id,
        name: { zh: localize(p.name, 'zh'), en: localize(p.name, 'en'), es: localize(p.name, 'es') },
        price: p.price,
      })),
    });
  });

  router.post('/v1/chat/messages', express.json({ limit: '8kb' }), async (req, res) => {
    const body = parseOr400(ChatMessageSchema, req.body, 'chat message');
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

  router.get('/v1/chat/conversations/:id/messages', async (req, res) => {
    const { id } = parseOr400(z.object({ id: webConversationId }), req.params, 'path');
    const messages = await deps.conversations.history(id, 200);
    res.json({ messages: messages.map(({ messageId, from, text, at }) => ({ messageId, from, text, at })) });
  });

  return router;
}
