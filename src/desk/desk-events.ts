import type { Topic } from '../shared/topic.ts';

/**
 * What the desk page is told the moment it happens, so it need not poll: a hand-off opened or
 * changed hands, a message in a conversation a person has or is coming to. The page fetches what
 * changed; an event carries only what it needs to know what to fetch.
 */
export type DeskEvent =
  | { type: 'handoff'; handoffId: string; conversationId: string; state: string; agent?: string }
  | { type: 'message'; handoffId: string; conversationId: string; from: 'buyer' | 'bot' | 'agent' };

/** Desk events, heard by every instance's desk pages. */
export type DeskEvents = Topic<DeskEvent>;
