import { z } from 'zod';
import { ChannelIdSchema } from '../channels/message.ts';
import { LanguageSchema } from '../shared/language.ts';
import { INTENT_IDS } from '../nlu/intent-ids.ts';

export const ConversationSchema = z.object({
  id: z.string(),
  buyerId: z.string(),
  /** The buyer's name as the channel gave it, for the desk. */
  buyerName: z.string().max(100).optional(),
  channel: ChannelIdSchema,
  /** bot: the bot answers. waiting: handed off, no person yet. agent: a person has it. */
  mode: z.enum(['bot', 'waiting', 'agent']),
  language: LanguageSchema.optional(),
  productId: z.string().optional(),
  lastIntent: z.enum(INTENT_IDS).optional(),
  notUnderstoodInARow: z.number().int().nonnegative(),
  /**
   * The buyer's height and weight once given: "那L呢" after a size answer is read against them; and
   * the size they were told fits, which "白色呢" then asks about.
   */
  measurements: z
    .object({
      heightCm: z.number().optional(),
      weightKg: z.number().optional(),
      fits: z.string().max(20).optional(),
      /** When the size answer was given: while it is the last thing said, it is still the topic. */
      at: z.string().max(40).optional(),
    })
    .optional(),
  /** A question we asked and are waiting on: which item, or height and weight. */
  pending: z
    .object({
      intent: z.enum(INTENT_IDS),
      heightCm: z.number().optional(),
      weightKg: z.number().optional(),
      size: z.string().optional(),
      region: z.string().optional(),
      /** The question asked before "which item?": answered once the item is named ("有弹力吗" → "the hoodie"). */
      question: z.string().max(2000).optional(),
    })
    .optional(),
  handoff: z
    .object({ id: z.string().optional(), reason: z.string(), at: z.string(), noticeSent: z.boolean() })
    .optional(),
  /** The agent who has the conversation, while mode is agent. */
  agent: z.string().optional(),
  /** The satisfaction question asked after an agent resolved the conversation; the next message may answer it. */
  satisfaction: z.object({ askedAt: z.string(), agent: z.string() }).optional(),
  /** What the bot's latest answer came to, for the shop's figures (stats/bot-outcome.ts). */
  botOutcome: z
    .object({
      day: z.string(),
      at: z.string(),
      question: z.string(),
      mark: z.enum(['handoff', 'unhappy', 'clarify']).optional(),
      markedAt: z.string().optional(),
      rated: z.boolean().optional(),
    })
    .optional(),
  updatedAt: z.string(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export function newConversation(
  id: string,
  buyerId: string,
  channel: Conversation['channel'],
  now: Date,
  buyerName?: string,
): Conversation {
  return {
    id,
    buyerId,
    ...(buyerName ? { buyerName } : {}),
    channel,
    mode: 'bot',
    notUnderstoodInARow: 0,
    updatedAt: now.toISOString(),
  };
}

export const HistoryEntrySchema = z.object({
  messageId: z.string(),
  from: z.enum(['buyer', 'bot', 'agent']),
  text: z.string(),
  at: z.string(),
  kind: z.string().optional(),
  intent: z.string().optional(),
  entities: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  inReplyTo: z.string().optional(),
  /** The agent who wrote it (an agent's message). */
  by: z.string().optional(),
  /** A message to the buyer that never reached them, and why (the channel refused it, or gave up). */
  undelivered: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
