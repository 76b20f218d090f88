import type { Handoff, HandoffState } from './handoff.ts';

export interface DeskNote {
  agent: string;
  text: string;
  at: string;
}

export interface HandoffStore {
  create(handoff: Handoff): Promise<boolean>;
  get(id: string): Promise<Handoff | undefined>;
  /** Changes a hand-off under its lock and moves it between the waiting, claimed and resolved sets. */
  mutate<T>(
    id: string,
    change: (handoff: Handoff) => { handoff: Handoff; value: T } | { handoff?: undefined; value: T },
  ): Promise<T | undefined>;
  popWaiting(provisionalLeaseUntil: Date): Promise<string | undefined>;
  list(state: HandoffState, limit: number): Promise<Handoff[]>;
  /** Claims whose lease ran out (and pops interrupted by a crash). */
  expiredClaims(now: Date): Promise<string[]>;
  /** How many waiting hand-offs come before one with this score. */
  ahead(score: number): Promise<number>;
  heartbeat(agent: string, now: Date): Promise<void>;
  agentsOnline(now: Date, idleMs: number): Promise<string[]>;
  /** The buyer's hand-offs on that channel, newest first (this one included). */
  ofBuyer(channel: string, buyerId: string, limit: number): Promise<Handoff[]>;
  /** Agents' internal notes on a conversation (never sent to the buyer), oldest first. */
  addNote(conversationId: string, note: DeskNote): Promise<void>;
  notes(conversationId: string): Promise<DeskNote[]>;
  /** The conversation's tags, as agents set them (the whole set each time). */
  setTags(conversationId: string, tags: readonly string[]): Promise<void>;
  tags(conversationId: string): Promise<string[]>;
  saveLabel(label: {
    text: string;
    intent: string;
    language: string;
    guessed?: string;
    at: string;
  }): Promise<void>;
}
