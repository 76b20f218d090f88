/**
 * Runs the tasks of one key (a conversation) one after another, in the order they were given;
 * tasks of different keys run side by side. A failed task does not stop the next one.
 */
export interface ConversationTurns {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with a task running or waiting. */
  readonly size: number;
}

export function createConversationTurns(): ConversationTurns {
  /** The last task of each key: the next one waits for it. */
  const chains = new Map<string, Promise<void>>();
  return {
    async run(key, task) {
      const turn = (chains.get(key) ?? Promise.resolve()).then(task);
      const tail = turn.then(
        () => undefined,
        () => undefined,
      );
      chains.set(key, tail);
      try {
        return await turn;
      } finally {
        if (chains.get(key) === tail) chains.delete(key);
      }
    },
    get size() {
      return chains.size;
    },
  };
}
