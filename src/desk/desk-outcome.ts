import type { GuardRule } from '../guard/check-outbound.ts';

/** What a desk action comes to: done, or why not (the routes map each to its HTTP answer). */
export type DeskOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'not-found' }
  | { kind: 'refused'; reason: 'wrong-state' | 'not-yours' | 'unknown-agent' | 'agent-offline' }
  | { kind: 'guarded'; rule: GuardRule; match: string }
  | { kind: 'closed'; code: 'WINDOW_CLOSED' | 'BUDGET_SPENT' | 'HELD_BY_SERVICER'; reason: string };
