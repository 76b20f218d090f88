import { z } from 'zod';
import { ChannelIdSchema } from '../channels/message.ts';
import { LanguageSchema } from '../shared/language.ts';

/** waiting → claimed → resolved; a claim whose agent goes silent (or is released) goes back to waiting. */
export const HandoffStateSchema = z.enum(['waiting', 'claimed', 'resolved']);
export type HandoffState = z.infer<typeof HandoffStateSchema>;

export const HandoffSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  buyerId: z.string(),
  channel: ChannelIdSchema,
  language: LanguageSchema,
  reason: z.string(),
  intent: z.string(),
  /** The buyer message that made the hand-off. */
  messageId: z.string().optional(),
  /** 1 emotional or complaint, 2 returning buyer or high value, 3 the rest, 4 the anonymous web chat. */
  priority: z.number().int().min(1).max(4),
  state: HandoffStateSchema,
  createdAt: z.string(),
  claimedBy: z.string().optional(),
  claimedAt: z.string().optional(),
  firstClaimedAt: z.string().optional(),
  leaseUntil: z.string().optional(),
  firstAgentReplyAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  resolvedBy: z.string().optional(),
  resolvedIntent: z.string().optional(),
  /** The waiting lines this hand-off crossed before a person first answered (counted once each). */
  breached: z.array(z.enum(['100s', '3min'])).optional(),
  events: z
    .array(
      z.object({ at: z.string(), kind: z.string(), agent: z.string().optional(), to: z.string().optional() }),
    )
    .default([]),
});
export type Handoff = z.infer<typeof HandoffSchema>;

export type HandoffAction =
  | { kind: 'claim'; agent: string; leaseUntil: Date }
  | { kind: 'touch'; agent: string; leaseUntil: Date }
  | { kind: 'reply'; agent: string; leaseUntil: Date }
  | { kind: 'release'; agent: string }
  | { kind: 'expire' }
  | { kind: 'transfer'; agent: string; to: string; leaseUntil: Date }
  | { kind: 'resolve'; agent: string; intent?: string };

/** The one table of what may happen to a hand-off in each state. */
const ALLOWED: Record<HandoffState, readonly HandoffAction['kind'][]> = {
  waiting: ['claim'],
  claimed: ['touch', 'reply', 'release', 'expire', 'transfer', 'resolve'],
  resolved: [],
};

export type TransitionResult =
  { kind: 'ok'; handoff: Handoff } | { kind: 'refused'; reason: 'wrong-state' | 'not-yours' };

/** Applies an action, or says why it can't: wrong state, or another agent holds the claim. */
export function transition(handoff: Handoff, action: HandoffAction, now: Date): TransitionResult {
  if (!ALLOWED[handoff.state].includes(action.kind)) return { kind: 'refused', reason: 'wrong-state' };
  if ('agent' in action && action.kind !== 'claim' && handoff.claimedBy !== action.agent)
    return { kind: 'refused', reason: 'not-yours' };
  const at = now.toISOString();
  const base = {
    ...handoff,
    events: [
      ...handoff.events,
      {
        at,
        kind: action.kind,
        ...('agent' in action ? { agent: action.agent } : {}),
        ...(action.kind === 'transfer' ? { to: action.to } : {}),
      },
    ],
  };
  const unclaimed = (h: Handoff): Handoff => {
    const { claimedBy: _c, claimedAt: _a, leaseUntil: _l, ...rest } = h;
    return { ...rest, state: 'waiting' };
  };
  switch (action.kind) {
    case 'claim':
      return {
        kind: 'ok',
        handoff: {
          ...base,
          state: 'claimed',
          claimedBy: action.agent,
          claimedAt: at,
          firstClaimedAt: handoff.firstClaimedAt ?? at,
          leaseUntil: action.leaseUntil.toISOString(),
        },
      };
    case 'touch':
      return { kind: 'ok', handoff: { ...handoff, leaseUntil: action.leaseUntil.toISOString() } };
    case 'reply':
      return {
        kind: 'ok',
        handoff: {
          ...handoff,
          leaseUntil: action.leaseUntil.toISOString(),
          firstAgentReplyAt: handoff.firstAgentReplyAt ?? at,
        },
      };
    case 'release':
    case 'expire':
      return { kind: 'ok', handoff: unclaimed(base) };
    case 'transfer':
      return {
        kind: 'ok',
        handoff: {
          ...base,
          claimedBy: action.to,
          claimedAt: at,
          leaseUntil: action.leaseUntil.toISOString(),
        },
      };
    case 'resolve': {
      const { leaseUntil: _l, ...rest } = base;
      return {
        kind: 'ok',
        handoff: {
          ...rest,
          state: 'resolved',
          resolvedAt: at,
          resolvedBy: action.agent,
          ...(action.intent ? { resolvedIntent: action.intent } : {}),
        },
      };
    }
  }
}

/**
 * Emotional buyers and complaints first, then returning buyers and big orders, then the rest. The
 * public web chat has its own last lane: anyone can open it without an account, so it must never
 * push a real buyer of a channel back in the queue, however angry its text.
 */
export function handoffPriority(input: {
  channel: Handoff['channel'];
  reason: string;
  intent: string;
  returningBuyer: boolean;
  highValue: boolean;
}): 1 | 2 | 3 | 4 {
  if (input.channel === 'web') return 4;
  if (input.reason === 'emotional' || input.intent === 'complaint' || input.reason === 'complaint') return 1;
  if (input.returningBuyer || input.highValue) return 2;
  return 3;
}

/** Queue order: priority first, then oldest first; the same score when a claim comes back. */
export function queueScore(handoff: Pick<Handoff, 'priority' | 'createdAt'>): number {
  return handoff.priority * 1e13 + Date.parse(handoff.createdAt);
}
