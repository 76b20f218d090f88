/**
 * What the desk page is told the moment it happens, so it need not poll: a hand-off opened or
 * changed hands, a message in a conversation a person has or is coming to. The page fetches what
 * changed; an event carries only what it needs to know what to fetch.
 */
export type DeskEvent =
  | { type: 'handoff'; handoffId: string; conversationId: string; state: string; agent?: string }
  | { type: 'message'; handoffId: string; conversationId: string; from: 'buyer' | 'bot' | 'agent' };

export interface DeskEvents {
  /** Tells every instance's desk pages (fire and forget: a lost event is caught by the page's slow poll). */
  publish(event: DeskEvent): Promise<void>;
  /**
   * Calls `listener` with every event from any instance until the returned function is called;
   * `closed` when the service stops (an open page's stream is ended then, so stopping never waits on it).
   */
  subscribe(listener: (event: DeskEvent) => void, closed?: () => void): Promise<() => void>;
  close(): Promise<void>;
}

/** For tools and tests that run the use cases without a desk page: events go nowhere. */
export const NO_DESK_EVENTS: DeskEvents = {
  publish: async () => {},
  subscribe: async () => () => {},
  close: async () => {},
};
