import type { Catalog } from '../catalog/catalog.ts';
import type { IntentBook } from '../answers/load-intents.ts';
import { renderTemplate } from '../answers/render-template.ts';
import { pickVariant } from '../answers/compose-reply.ts';
import type { Language } from '../shared/language.ts';
import type { ConversationStore } from '../conversations/conversation-store.ts';
import type { Conversation, HistoryEntry } from '../conversations/conversation.ts';
import { checkOutbound } from '../guard/check-outbound.ts';
import type { DeskOutcome } from './desk-outcome.ts';
import type { RefusedLog } from '../guard/refused-log.ts';
import type { Order } from '../orders/order.ts';
import type { OrderStore } from '../orders/order-store.ts';
import type { Outbox } from '../outbox/outbox-queue.ts';
import { queueMessage } from '../outbox/queue-message.ts';
import type { Clock } from '../shared/clock.ts';
import { jobIdFor } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import {
  handoffPriority,
  queueScore,
  transition,
  type Handoff,
  type HandoffAction,
  type HandoffState,
  type TransitionResult,
} from './handoff.ts';
import type { ChannelLimits, SendState } from '../channels/channel.ts';
import type { HandoffStore } from './handoff-store.ts';
import { createWaitingFigures } from './waiting-figures.ts';
import { createBuyerContext } from './buyer-context.ts';
import type { DeskEvents } from './desk-events.ts';
import type { StatsStore } from '../stats/stats-store.ts';
import { expectedWaitMinutes, isOpen, nextOpening } from './working-hours.ts';

export interface DeskSettings {
  /** An agent with no activity or heartbeat for this long loses the claim. */
  leaseMs: number;
  /** An agent counts as online this long after their last heartbeat. */
  onlineMs: number;
  minutesPerHandoff: number;
  workHours: [number, number][];
  timeZone: string;
  ownDomains: readonly string[];
  /** SATISFACTION: one question to the buyer after an agent resolves the conversation. */
  satisfaction: boolean;
}

export interface DeskDeps {
  intents: IntentBook;
  handoffs: HandoffStore;
  conversations: ConversationStore;
  orders: OrderStore;
  catalog: Catalog;
  outbox: Pick<Outbox, 'enqueue'>;
  stats: Pick<StatsStore, 'pickup' | 'firstAgentReply' | 'satisfactionAsked' | 'waitBreach' | 'handled'>;
  clock: Clock;
  log: Logger;
  settings: DeskSettings;
  /** Where refused agent messages are recorded for the shop (absent: only logged). */
  refused?: Pick<RefusedLog, 'record'>;
  /** The platforms' rules on what may be sent when: an agent's message outside WhatsApp's window is refused. */
  channelLimits: ChannelLimits;
  /** Tells the desk pages at once what changed. */
  events: Pick<DeskEvents, 'publish'>;
}

export type Notice =
  { kind: 'wait'; minutes: number } | { kind: 'nobody' } | { kind: 'closed'; backAt: Date };

export type { DeskOutcome } from './desk-outcome.ts';

export interface HandoffView {
  handoff: Handoff;
  conversation?: Conversation;
  messages: HistoryEntry[];
  order?: Order;
  product?: { id: string; name: string };
  waitingSeconds: number;
  /** What the channel lets an agent send now (WhatsApp's window), shown before the agent types. */
  sendState?: SendState;
}

/** The desk's use cases: open a hand-off, claim, reply, release, transfer, resolve, and the lease sweep. */
export function createDesk(deps: DeskDeps, agents: readonly string[]) {
  const { handoffs, conversations, settings } = deps;
  const lease = (now: Date) => new Date(now.getTime() + settings.leaseMs);
  const waiting = createWaitingFigures({ handoffs, stats: deps.stats, clock: deps.clock });
  const { countBreaches } = waiting;
  const beside = createBuyerContext({ ...deps, agents });

  async function act(id: string, action: HandoffAction, now: Date): Promise<DeskOutcome<Handoff>> {
    const result = await handoffs.mutate<TransitionResult>(id, (current) => {
      const t = transition(current, action, now);
      return t.kind === 'ok' ? { handoff: t.handoff, value: t } : { value: t };
    });
    if (!result) return { kind: 'not-found' };
    if (result.kind === 'refused') return { kind: 'refused', reason: result.reason };
    await syncConversation(result.handoff);
    // A reply is told as a message (reply() publishes it); a lease touch changes nothing shown.
    if (action.kind !== 'touch' && action.kind !== 'reply')
      await deps.events.publish({
        type: 'handoff',
        handoffId: id,
        conversationId: result.handoff.conversationId,
        state: result.handoff.state,
        ...(result.handoff.claimedBy ? { agent: result.handoff.claimedBy } : {}),
      });
    return { kind: 'ok', value: result.handoff };
  }

  async function claimOne(agent: string, id: string): Promise<DeskOutcome<HandoffView>> {
    const now = deps.clock.now();
    const claimed = await act(id, { kind: 'claim', agent, leaseUntil: lease(now) }, now);
    if (claimed.kind !== 'ok') return claimed;
    if (claimed.value.firstClaimedAt === claimed.value.claimedAt)
      await deps.stats.pickup(now.getTime() - Date.parse(claimed.value.createdAt), now);
    deps.log.info(
      { handoffId: id, agent, waitedMs: now.getTime() - Date.parse(claimed.value.createdAt) },
      'handoff claimed',
    );
    await handoffs.heartbeat(agent, now);
    return { kind: 'ok', value: await view(claimed.value, now) };
  }

  /** The conversation's mode follows its hand-off: agent while claimed, waiting, bot once resolved. */
  async function syncConversation(h: Handoff): Promise<void> {
    await conversations.mutate(h.conversationId, (c) => {
      if (c.handoff?.id && c.handoff.id !== h.id) return c;
      if (h.state === 'claimed') return { ...c, mode: 'agent', agent: h.claimedBy };
      const { agent: _a, ...rest } = c;
      if (h.state === 'waiting') return { ...rest, mode: 'waiting' };
      const { handoff: _h, pending: _p, ...back } = rest;
      // What the person told the buyer is not known: no size the bot once said fits is assumed.
      const { fits: _f, ...measurements } = back.measurements ?? {};
      return {
        ...back,
        ...(back.measurements ? { measurements } : {}),
        mode: 'bot',
        notUnderstoodInARow: 0,
      };
    });
  }

  /**
   * After a resolve: one question, in the buyer's language, how satisfied they are; the buyer's
   * next message may answer it (read in the pipeline). Not asked where the channel would refuse it.
   */
  async function askSatisfaction(h: Handoff, agent: string, now: Date): Promise<void> {
    // Only a buyer a person talked to is asked how that person did.
    if (!h.firstAgentReplyAt) return;
    const rules = await deps.channelLimits[h.channel]?.state(h.conversationId, 'answer');
    if (rules && !rules.open) {
      deps.log.info(
        { handoffId: h.id, reason: rules.reason },
        'satisfaction not asked: the channel is closed',
      );
      return;
    }
    // Marked before it is sent, so even an instant "5" is read as the answer.
    const marked = await conversations.mutate(h.conversationId, (c) =>
      c.mode === 'bot' ? { ...c, satisfaction: { askedAt: now.toISOString(), agent } } : c,
    );
    if (!marked?.satisfaction) return;
    const language = marked.language ?? h.language;
    const message = {
      messageId: jobIdFor('satisfaction', h.id),
      conversationId: h.conversationId,
      buyerId: h.buyerId,
      text: pickVariant(deps.intents.system['satisfaction-ask'][language], h.id),
      from: 'bot' as const,
      kind: 'answer' as const,
    };
    const entry = await queueMessage(deps.outbox, { channel: h.channel, message }, now);
    await conversations.append(h.conversationId, [entry]);
    await deps.stats.satisfactionAsked(agent, now);
  }

  async function view(h: Handoff, now: Date): Promise<HandoffView> {
    const [conversation, messages] = await Promise.all([
      conversations.load(h.conversationId),
      conversations.history(h.conversationId, 100),
    ]);
    const [order, sendState] = await Promise.all([
      deps.orders.latestFor(h.conversationId),
      deps.channelLimits[h.channel]?.state(h.conversationId, 'agent'),
    ]);
    const productId = conversation?.productId ?? order?.items[0]?.productId;
    const product = productId ? deps.catalog.product(productId) : undefined;
    return {
      handoff: h,
      ...(conversation ? { conversation } : {}),
      messages,
      ...(order ? { order } : {}),
      ...(product ? { product: { id: product.id, name: product.name[h.language] ?? product.name.zh } } : {}),
      waitingSeconds: Math.round((now.getTime() - Date.parse(h.createdAt)) / 1000),
      ...(sendState ? { sendState } : {}),
    };
  }

  return {
    /** Opens the conversation's one hand-off (idempotent by id) and says what to tell the buyer. */
    async open(input: {
      id: string;
      conversationId: string;
      /** The buyer message that made it. */
      messageId?: string;
      buyerId: string;
      channel: Handoff['channel'];
      language: Language;
      reason: string;
      intent: string;
      highValue: boolean;
      returningBuyer: boolean;
    }): Promise<{ handoff: Handoff; notice: Notice }> {
      const now = deps.clock.now();
      const priority = handoffPriority(input);
      const handoff: Handoff = {
        id: input.id,
        conversationId: input.conversationId,
        ...(input.messageId ? { messageId: input.messageId } : {}),
        buyerId: input.buyerId,
        channel: input.channel,
        language: input.language,
        reason: input.reason,
        intent: input.intent,
        priority,
        state: 'waiting',
        createdAt: now.toISOString(),
        events: [{ at: now.toISOString(), kind: 'open' }],
      };
      const created = await handoffs.create(handoff);
      const stored = created ? handoff : ((await handoffs.get(input.id)) ?? handoff);
      if (created)
        deps.log.info(
          { handoffId: handoff.id, conversationId: handoff.conversationId, reason: handoff.reason, priority },
          'handoff created',
        );
      if (!isOpen(now, settings.workHours, settings.timeZone))
        return {
          handoff: stored,
          notice: { kind: 'closed', backAt: nextOpening(now, settings.workHours, settings.timeZone) },
        };
      const online = await handoffs.agentsOnline(now, settings.onlineMs);
      if (online.length === 0) return { handoff: stored, notice: { kind: 'nobody' } };
      const ahead = await handoffs.ahead(queueScore(stored));
      return {
        handoff: stored,
        notice: {
          kind: 'wait',
          minutes: expectedWaitMinutes(ahead, online.length, settings.minutesPerHandoff),
        },
      };
    },

    /** The next waiting hand-off (highest priority, then oldest), or none. */
    async claim(agent: string): Promise<HandoffView | undefined> {
      for (;;) {
        const id = await handoffs.popWaiting(lease(deps.clock.now()));
        if (!id) return undefined;
        const claimed = await claimOne(agent, id);
        if (claimed.kind === 'ok') return claimed.value;
      }
    },

    /** That waiting hand-off, chosen from the list: refused when another agent took it first. */
    claimOne: (agent: string, id: string) => claimOne(agent, id),

    async reply(agent: string, id: string, text: string): Promise<DeskOutcome<{ messageId: string }>> {
      const verdict = checkOutbound(text, settings.ownDomains);
      if (!verdict.ok) {
        deps.log.warn(
          { handoffId: id, agent, rule: verdict.rule },
          'agent message refused by the outbound guard',
        );
        const conversationId = (await handoffs.get(id))?.conversationId;
        if (conversationId)
          await deps.refused?.record({
            rule: verdict.rule,
            from: 'agent',
            agent,
            conversationId,
            match: verdict.match,
            at: deps.clock.now(),
          });
        return { kind: 'guarded', rule: verdict.rule, match: verdict.match };
      }
      const current = await handoffs.get(id);
      const rules =
        current && (await deps.channelLimits[current.channel]?.state(current.conversationId, 'agent'));
      if (rules && !rules.open) return { kind: 'closed', code: rules.code, reason: rules.reason };
      const now = deps.clock.now();
      const touched = await act(id, { kind: 'reply', agent, leaseUntil: lease(now) }, now);
      if (touched.kind !== 'ok') return touched;
      const h = touched.value;
      if (h.firstAgentReplyAt === now.toISOString()) {
        // A line crossed since the last sweep counts before the answer closes it.
        await countBreaches(h, now);
        await deps.stats.firstAgentReply(now.getTime() - Date.parse(h.createdAt), now, agent);
      }
      const messageId = jobIdFor('agent', id, String(now.getTime()), text);
      const entry = await queueMessage(
        deps.outbox,
        {
          channel: h.channel,
          message: {
            messageId,
            conversationId: h.conversationId,
            buyerId: h.buyerId,
            text,
            from: 'agent',
            kind: 'agent',
          },
        },
        now,
      );
      await conversations.append(h.conversationId, [{ ...entry, by: agent }]);
      await handoffs.heartbeat(agent, now);
      await deps.events.publish({
        type: 'message',
        handoffId: id,
        conversationId: h.conversationId,
        from: 'agent',
      });
      return { kind: 'ok', value: { messageId } };
    },

    release: (agent: string, id: string) => act(id, { kind: 'release', agent }, deps.clock.now()),

    async transfer(agent: string, id: string, to: string): Promise<DeskOutcome<Handoff>> {
      if (!agents.includes(to)) return { kind: 'refused', reason: 'unknown-agent' };
      const now = deps.clock.now();
      // To an agent whose desk is closed, the conversation would sit unseen until the lease ran out.
      if (!(await handoffs.agentsOnline(now, settings.onlineMs)).includes(to))
        return { kind: 'refused', reason: 'agent-offline' };
      return act(id, { kind: 'transfer', agent, to, leaseUntil: lease(now) }, now);
    },

    async resolve(agent: string, id: string, intent: string | undefined): Promise<DeskOutcome<Handoff>> {
      const now = deps.clock.now();
      const before = await handoffs.get(id);
      const resolved = await act(id, { kind: 'resolve', agent, ...(intent ? { intent } : {}) }, now);
      if (resolved.kind === 'ok' && intent && before) {
        // The buyer's messages of this hand-off, labelled by a person: examples for corpora/ review.
        const history = await conversations.history(before.conversationId, 200);
        for (const m of history.filter(
          (m) => m.from === 'buyer' && Date.parse(m.at) >= Date.parse(before.createdAt) - 60_000,
        )) {
          await handoffs.saveLabel({
            text: m.text,
            intent,
            language: before.language,
            ...(m.intent ? { guessed: m.intent } : {}),
            at: now.toISOString(),
          });
        }
      }
      if (resolved.kind === 'ok') {
        deps.log.info({ handoffId: id, agent, intent }, 'handoff resolved');
        const claimed = resolved.value.firstClaimedAt ?? resolved.value.createdAt;
        await deps.stats.handled(agent, now.getTime() - Date.parse(claimed), now);
        // The resolve stands whatever happens to the question: a failure is logged, not the agent's error.
        if (settings.satisfaction)
          await askSatisfaction(resolved.value, agent, now).catch((err: unknown) =>
            deps.log.warn({ err, handoffId: id }, 'satisfaction question not asked'),
          );
      }
      return resolved;
    },

    /** The desk page's pulse: the agent is online and their claims stay theirs. */
    async heartbeat(agent: string): Promise<void> {
      const now = deps.clock.now();
      await handoffs.heartbeat(agent, now);
      for (const h of await handoffs.list('claimed', 500)) {
        if (h.claimedBy === agent) await act(h.id, { kind: 'touch', agent, leaseUntil: lease(now) }, now);
      }
    },

    /** Claims of agents who went silent go back to waiting, in their place in the queue. */
    async sweep(): Promise<number> {
      const now = deps.clock.now();
      let expired = 0;
      for (const id of await handoffs.expiredClaims(now)) {
        const h = await handoffs.get(id);
        if (h?.state === 'claimed' && Date.parse(h.leaseUntil ?? '0') <= now.getTime()) {
          const result = await act(id, { kind: 'expire' }, now);
          if (result.kind === 'ok') {
            expired += 1;
            deps.log.warn(
              { handoffId: id, agent: h.claimedBy },
              'claim expired: agent went silent; back to waiting',
            );
          }
        } else if (h?.state === 'waiting') {
          // Popped but never claimed (a crash in between): put it back.
          await handoffs.mutate(id, (current) => ({ handoff: current, value: true }));
        }
      }
      await waiting.sweep(now);
      return expired;
    },

    ...beside,

    waitingNow: waiting.waitingNow,

    /** Whether the hand-off still waits for an agent (none has claimed it): the bot may still answer facts. */
    stillWaiting: async (id: string) => (await handoffs.get(id))?.state === 'waiting',

    /** How many agents' desks sent a heartbeat lately. */
    agentsOnline: async () => (await handoffs.agentsOnline(deps.clock.now(), settings.onlineMs)).length,

    /** Paid orders buyers asked to cancel, waiting for the warehouse. */
    warehouseTasks: () => deps.orders.warehouseTasks(),

    /** The warehouse answered: the buyer hears the result at once, in their language. */
    async closeWarehouseTask(
      agent: string,
      orderId: string,
      stopped: boolean,
    ): Promise<DeskOutcome<{ messageId: string }>> {
      if (!(await deps.orders.closeWarehouseTask(orderId))) return { kind: 'not-found' };
      const now = deps.clock.now();
      const order = await deps.orders.update(orderId, (o) =>
        o
          ? {
              ...o,
              notes: [
                ...o.notes,
                {
                  at: now.toISOString(),
                  kind: stopped ? 'warehouse-stopped' : 'warehouse-too-late',
                  text: `by ${agent}`,
                },
              ],
              updatedAt: now.toISOString(),
            }
          : o,
      );
      if (!order) return { kind: 'not-found' };
      const conversation = await conversations.load(order.conversationId);
      const language = conversation?.language ?? 'zh';
      const text = renderTemplate(
        deps.intents.system[stopped ? 'warehouse-stopped' : 'warehouse-too-late'][language][0]!,
        { order: { id: order.orderId } },
      );
      const messageId = jobIdFor('warehouse', orderId);
      const message = {
        messageId,
        conversationId: order.conversationId,
        buyerId: order.buyerId,
        text,
        from: 'agent' as const,
        kind: 'agent' as const,
      };
      await conversations.append(order.conversationId, [
        await queueMessage(
          deps.outbox,
          { channel: conversation?.channel ?? 'generic', knownIds: [orderId], message },
          now,
        ),
      ]);
      deps.log.info({ orderId, agent, stopped }, 'warehouse task closed');
      return { kind: 'ok', value: { messageId } };
    },

    async list(state: HandoffState, limit = 100): Promise<HandoffView[]> {
      const now = deps.clock.now();
      return Promise.all((await handoffs.list(state, limit)).map((h) => view(h, now)));
    },

    async detail(id: string): Promise<HandoffView | undefined> {
      const h = await handoffs.get(id);
      return h ? view(h, deps.clock.now()) : undefined;
    },
  };
}

export type Desk = ReturnType<typeof createDesk>;
