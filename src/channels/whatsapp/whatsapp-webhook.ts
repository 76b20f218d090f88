import { z } from 'zod';
import { validated } from '../../shared/parse-input.ts';
import { InboundMessageSchema, type InboundMessage } from '../message.ts';

/**
 * The parts of a WhatsApp Cloud API webhook (the `messages` field) a buyer message uses: the
 * receiving number, the sender's profile name, and each text message. Statuses and other message
 * types are taken and not answered.
 */
const WebhookSchema = z.object({
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          value: z.object({
            metadata: z.object({ phone_number_id: z.string().min(1).max(64) }).optional(),
            contacts: z
              .array(
                z.object({
                  wa_id: z.string().optional(),
                  profile: z.object({ name: z.string() }).optional(),
                }),
              )
              .optional(),
            messages: z
              .array(
                z.object({
                  id: z.string().min(1).max(200),
                  from: z.string().min(1).max(64),
                  timestamp: z.coerce.number().int().nonnegative(),
                  type: z.string(),
                  text: z.object({ body: z.string() }).optional(),
                  context: z
                    .object({
                      referred_product: z.object({ product_retailer_id: z.string().optional() }).optional(),
                    })
                    .optional(),
                }),
              )
              .optional(),
          }),
        }),
      ),
    }),
  ),
});

/** WhatsApp allows 4,096 characters; we read a buyer's first 2,000, as on every channel. */
const TEXT_KEPT = 2000;

/**
 * The buyer messages to the shop's number in one webhook post (CONTRACT.md "WhatsApp Cloud API").
 * Messages to another number of the same business account are someone else's to answer. Throws
 * ValidationError for a body that is no webhook.
 */
export function readWhatsAppWebhook(
  json: unknown,
  phoneNumberId: string,
): { messages: InboundMessage[]; wrote: { conversationId: string; at: Date }[] } {
  const body = validated(WebhookSchema, json, 'WhatsApp webhook');
  const messages: InboundMessage[] = [];
  /** Every message of a buyer, of any type: each opens the 24-hour window. */
  const wrote: { conversationId: string; at: Date }[] = [];
  for (const { changes } of body.entry)
    for (const { value } of changes) {
      if (value.metadata?.phone_number_id !== phoneNumberId) continue;
      for (const message of value.messages ?? []) {
        wrote.push({
          conversationId: `whatsapp:${phoneNumberId}:${message.from}`,
          at: new Date(message.timestamp * 1000),
        });
        if (message.type !== 'text' || !message.text) continue;
        const name = value.contacts?.find((c) => c.wa_id === message.from)?.profile?.name;
        const productId = message.context?.referred_product?.product_retailer_id;
        const parsed = InboundMessageSchema.safeParse({
          messageId: message.id,
          conversationId: `whatsapp:${phoneNumberId}:${message.from}`,
          buyer: { id: message.from, ...(name ? { name: name.slice(0, 100) } : {}) },
          text: message.text.body.slice(0, TEXT_KEPT),
          sentAt: new Date(message.timestamp * 1000).toISOString(),
          ...(productId ? { productId } : {}),
        });
        // A text that is empty once cleaned asks nothing.
        if (parsed.success) messages.push(parsed.data);
      }
    }
  return { messages, wrote };
}
