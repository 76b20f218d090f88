import { z } from 'zod';
import type { GuardRule } from './check-outbound.ts';

/** How many refusals the shop can read back; older ones drop off. */
export const REFUSED_KEPT = 1000;

export const RefusedEntrySchema = z.object({
  rule: z.string(),
  from: z.enum(['agent', 'bot']),
  agent: z.string().optional(),
  conversationId: z.string(),
  /** The outbound message's id (bot messages): the failed outbox job of the same id holds the rest. */
  messageId: z.string().optional(),
  at: z.string(),
  match: z.string(),
});

export type RefusedEntry = z.infer<typeof RefusedEntrySchema>;

export interface RefusedLog {
  record(entry: {
    rule: GuardRule;
    from: 'agent' | 'bot';
    agent?: string;
    conversationId: string;
    messageId?: string;
    match: string;
    at: Date;
  }): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<RefusedEntry[]>;
}
