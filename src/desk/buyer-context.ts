import type { Clock } from '../shared/clock.ts';
import type { DeskEvents } from './desk-events.ts';
import type { DeskOutcome } from './desk-outcome.ts';
import type { Handoff } from './handoff.ts';
import type { DeskNote, HandoffStore } from './handoff-store.ts';

/** What an agent working the conversation sees beside it: notes, tags, the buyer's earlier hand-offs. */
export interface HandoffContext {
  notes: DeskNote[];
  tags: string[];
  earlier: Pick<
    Handoff,
    'id' | 'state' | 'reason' | 'intent' | 'createdAt' | 'resolvedAt' | 'resolvedIntent' | 'claimedBy'
  >[];
}

/** Beside the conversation: the buyer's earlier hand-offs, agents' notes and tags, who is online. */
export function createBuyerContext(deps: {
  handoffs: HandoffStore;
  events: Pick<DeskEvents, 'publish'>;
  clock: Clock;
  settings: { onlineMs: number };
  agents: readonly string[];
}) {
  const { handoffs } = deps;
  return {
    /** What an agent sees beside the conversation: notes, tags and the buyer's earlier hand-offs. */
    async context(h: Handoff): Promise<HandoffContext> {
      const [notes, tags, ofBuyer] = await Promise.all([
        handoffs.notes(h.conversationId),
        handoffs.tags(h.conversationId),
        handoffs.ofBuyer(h.channel, h.buyerId, 11),
      ]);
      return {
        notes,
        tags,
        earlier: ofBuyer
          .filter((e) => e.id !== h.id)
          .slice(0, 10)
          .map(({ id, state, reason, intent, createdAt, resolvedAt, resolvedIntent, claimedBy }) => ({
            id,
            state,
            reason,
            intent,
            createdAt,
            ...(resolvedAt ? { resolvedAt } : {}),
            ...(resolvedIntent ? { resolvedIntent } : {}),
            ...(claimedBy ? { claimedBy } : {}),
          })),
      };
    },

    /** An internal note on the hand-off's conversation: agents only, never sent to the buyer. */
    async addNote(agent: string, id: string, text: string): Promise<DeskOutcome<DeskNote>> {
      const h = await handoffs.get(id);
      if (!h) return { kind: 'not-found' };
      const note = { agent, text, at: deps.clock.now().toISOString() };
      await handoffs.addNote(h.conversationId, note);
      await deps.events.publish({
        type: 'handoff',
        handoffId: id,
        conversationId: h.conversationId,
        state: h.state,
      });
      return { kind: 'ok', value: note };
    },

    async setTags(id: string, tags: readonly string[]): Promise<DeskOutcome<string[]>> {
      const h = await handoffs.get(id);
      if (!h) return { kind: 'not-found' };
      const unique = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
      await handoffs.setTags(h.conversationId, unique);
      return { kind: 'ok', value: unique };
    },

    /** Every agent, and whether their desk is open now: transfer goes only to one who is. */
    async agentList(): Promise<{ name: string; online: boolean }[]> {
      const online = new Set(await handoffs.agentsOnline(deps.clock.now(), deps.settings.onlineMs));
      return deps.agents.map((name) => ({ name, online: online.has(name) }));
    },
  };
}
