import type { Clock } from '../shared/clock.ts';
import type { StatsStore } from '../stats/stats-store.ts';
import type { Handoff } from './handoff.ts';
import type { HandoffStore } from './handoff-store.ts';

type WaitLine = NonNullable<Handoff['breached']>[number];
/** 100 s: Qianniu's slow-reply line; 3 min: Taobao's response-rate line. */
const WAIT_LINES: Record<WaitLine, number> = { '100s': 100_000, '3min': 180_000 };
const WAIT_LINE_IDS = Object.keys(WAIT_LINES) as WaitLine[];

export interface WaitingNow {
  buyers: number;
  over100s: number;
  over3min: number;
  longestSeconds: number;
}

/** How long buyers wait for a person: the lines crossed, counted when the time passes, and who waits now. */
export function createWaitingFigures(deps: {
  handoffs: HandoffStore;
  stats: Pick<StatsStore, 'waitBreach'>;
  clock: Clock;
}) {
  const { handoffs } = deps;

  /**
   * The waiting lines a hand-off has crossed with no answer from a person, each counted once
   * (marked on the hand-off), on the day it was crossed. Called by the sweep (every few seconds)
   * and at the first answer.
   */
  async function countBreaches(h: Handoff, now: Date): Promise<void> {
    const opened = Date.parse(h.createdAt);
    const crossedBy = (current: Handoff) => {
      const until = current.firstAgentReplyAt ? Date.parse(current.firstAgentReplyAt) : now.getTime();
      return WAIT_LINE_IDS.filter(
        (line) => !current.breached?.includes(line) && until - opened >= WAIT_LINES[line],
      );
    };
    if (crossedBy(h).length === 0) return;
    const crossed = await handoffs.mutate<WaitLine[]>(h.id, (current) => {
      const lines = crossedBy(current);
      return lines.length
        ? { handoff: { ...current, breached: [...(current.breached ?? []), ...lines] }, value: lines }
        : { value: [] };
    });
    for (const line of crossed ?? []) await deps.stats.waitBreach(line, new Date(opened + WAIT_LINES[line]));
  }

  return {
    countBreaches,

    /** Buyers with no answer from a person yet: a line crossed since the last sweep counts now. */
    async sweep(now: Date): Promise<void> {
      const open = [...(await handoffs.list('waiting', 1000)), ...(await handoffs.list('claimed', 1000))];
      for (const h of open) if (!h.firstAgentReplyAt) await countBreaches(h, now);
    },

    /** Buyers waiting now for a person to take them, and how many have waited past each line. */
    async waitingNow(): Promise<WaitingNow> {
      const now = deps.clock.now().getTime();
      const waits = (await handoffs.list('waiting', 1000)).map((h) => now - Date.parse(h.createdAt));
      return {
        buyers: waits.length,
        over100s: waits.filter((ms) => ms >= WAIT_LINES['100s']).length,
        over3min: waits.filter((ms) => ms >= WAIT_LINES['3min']).length,
        longestSeconds: Math.round(Math.max(0, ...waits) / 1000),
      };
    },
  };
}
