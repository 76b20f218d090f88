/** Something every instance hears at once: desk pages told of a hand-off, a web chat of a new message. */
export interface Topic<T> {
  /** Tells every instance's listeners (fire and forget: a lost one is caught by the pages' slow refresh). */
  publish(event: T): Promise<void>;
  /**
   * Calls `listener` with every event from any instance until the returned function is called;
   * `closed` when the service stops (an open page's stream is ended then, so stopping never waits on it).
   */
  subscribe(listener: (event: T) => void, closed?: () => void): Promise<() => void>;
  close(): Promise<void>;
}

/** For tools and tests that run the use cases without pages: events go nowhere. */
export function silentTopic<T>(): Topic<T> {
  return { publish: async () => {}, subscribe: async () => () => {}, close: async () => {} };
}
