import type { Handoff, HandoffState } from './handoff.ts';

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
  saveLabel(label: {
    text: string;
    intent: string;
    language: string;
    guessed?: string;
    at: string;
  }): Promise<void>;
}
