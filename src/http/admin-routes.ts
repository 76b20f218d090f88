import { INTENT_IDS } from '../nlu/intent-ids.ts';
import { estimateStaffing, measuredDays } from '../stats/estimate-staffing.ts';
import { localDate } from '../shared/zoned-time.ts';
import { LocalizedTextSchema } from '../catalog/product-schema.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { WaitingNow } from '../desk/waiting-figures.ts';
import { MAX_STATS_DAYS } from '../stats/stats-store.ts';
import express, { Router } from 'express';
import { z } from 'zod';
import type { ConversationStore } from '../conversations/conversation-store.ts';
import type { OrderStore } from '../orders/order-store.ts';
import { invoiceRow, orderRow, warehouseRow } from '../orders/order-view.ts';
import type { Clock } from '../shared/clock.ts';
import type { StatsStore } from '../stats/stats-store.ts';
import type { ClassifyOutput } from '../pipeline/classify-message.ts';
import type { RefusedLog } from '../guard/refused-log.ts';
import type { CatalogSync } from '../catalog/catalog-sync.ts';
import { AppError, NotFoundError } from '../shared/errors.ts';
import type { QueueView } from '../queue/queue-view.ts';
import { requireAdmin } from './auth.ts';
import { validated } from '../shared/parse-input.ts';

const ClassifyBodySchema = z.object({
  text: z.string().trim().min(1, 'text is empty').max(2000, 'text is over 2000 characters'),
});
const IdParamSchema = z.object({ id: z.string().min(1).max(200) });
const ListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export interface AdminDeps {
  adminToken: string;
  classify(text: string): Promise<ClassifyOutput>;
  conversations: ConversationStore;
  /** The queues whose failed jobs the admin API lists and replays, by URL name. */
  queues: Record<'outbox' | 'inbound' | 'orders' | 'reminders', QueueView>;
  orders: OrderStore;
  stats: StatsStore;
  /** What the outbound guard refused (rule, who, when, the matched part). */
  refused: Pick<RefusedLog, 'recent'>;
  /** Buyers waiting for a person right now (the desk's queue), for the figures. */
  waitingNow(): Promise<WaitingNow>;
  /** The service's clock: "today", and which of the bot's answers are still open. */
  clock: Clock;
  /** The shop's shifts (WORK_HOURS) and time zone, for the staffing estimate. */
  shifts: { workHours: readonly [number, number][]; timeZone: string };
  /** Where labelled buyer messages wait for corpus review (npm run export-labels). */
  saveLabel(label: {
    text: string;
    intent: string;
    language: string;
    at: string;
    source: string;
  }): Promise<void>;
  /** The catalog in effect, to add an FAQ entry to. */
  catalog: Catalog;
  /** Puts a whole new catalog in effect in every instance. */
  catalogSync: Pick<CatalogSync, 'publish' | 'edit'>;
}

const DAY = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a date',
  );

/** The orders page's day (today in the shop's time zone when left out). */
const OrdersQuery = z.object({ day: DAY.optional() });

/** A range of days in the shop's time zone: `from` to `to`, both included, at most MAX_STATS_DAYS. */
const StatsQuerySchema = z
  .object({ from: DAY.optional(), to: DAY.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'is before from' })
  .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_STATS_DAYS, {
    path: ['to'],
    message: `a range of at most ${MAX_STATS_DAYS} days`,
  });

const UnansweredQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(MAX_STATS_DAYS).default(7),
});
/** The most groups /v1/admin/unanswered lists. */
const UNANSWERED_LISTED = 200;

const StaffingQuery = z.object({
  uv: z.coerce.number().int().min(1).max(1e9),
  consultRate: z.coerce.number().gt(0).max(1),
  perAgent: z.coerce.number().int().min(1).max(10_000).default(300),
  dayShare: z.coerce.number().min(0).max(1).default(0.7),
});

const LabelBody = z.object({
  text: z.string().trim().min(1).max(2000),
  intent: z.enum(INTENT_IDS),
  language: z.enum(['zh', 'en', 'es']),
});

const FaqBody = z.object({
  productId: z.string().min(1).max(200).optional(),
  question: z.string().trim().min(1).max(500),
  language: z.enum(['zh', 'en', 'es']),
  answer: LocalizedTextSchema,
});

function queueNamed(queues: AdminDeps['queues'], name: string | undefined): QueueView {
  const queue = name && Object.hasOwn(queues, name) ? queues[name as keyof AdminDeps['queues']] : undefined;
  if (!queue) throw new NotFoundError(`no queue ${name}; use outbox, inbound, orders or reminders`);
  return queue;
}

/** Admin API: classify, conversation history, and failed jobs (undelivered replies first of all) with replay. */
export function adminRoutes(deps: AdminDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.adminToken);
  const json = express.json({ limit: '64kb' });

  // A whole catalog: 400 with every problem and the old one kept, or 200 and in effect everywhere within seconds.
  router.put('/v1/admin/catalog', admin, express.json({ limit: '5mb' }), async (req, res) => {
    const outcome = await deps.catalogSync.publish(req.body);
    if (!outcome.ok)
      throw new AppError(
        'VALIDATION_FAILED',
        `the catalog is invalid (${outcome.errors.length} problem${outcome.errors.length === 1 ? '' : 's'}); the catalog in effect stays`,
        { details: outcome.errors.slice(0, 100) },
      );
    res.json({ ok: true, hash: outcome.hash, products: outcome.products });
  });

  router.post('/v1/nlu/classify', admin, json, async (req, res) => {
    const { text } = validated(ClassifyBodySchema, req.body, 'classify request');
    res.json(await deps.classify(text));
  });

  router.get('/v1/stats', admin, async (req, res) => {
    const { from, to } = validated(StatsQuerySchema, req.query, 'query');
    const now = deps.clock.now();
    const today = localDate(now, deps.shifts.timeZone);
    // One range for every figure: the days asked for, else today in the shop's time zone.
    const days = from || to ? { from: (from ?? to)!, to: (to ?? from)! } : { from: today, to: today };
    const [summary, reminders, waitingNow] = await Promise.all([
      deps.stats.summary(days, now),
      deps.orders.reminderStats(days),
      deps.waitingNow(),
    ]);
    res.json({
      ...summary,
      reminders,
      waitingNow,
      definitions: {
        activeConversations: 'conversations in which a buyer wrote, each day counted',
        bot: 'answered: conversations in which the bot answered a question, not just a hello or a thanks (on each day). resolved: answered, with no hand-off, no upset message or the same question again, and no clarifying question left unanswered within 30 minutes of an answer. open: answered less than 30 minutes ago with no such sign yet. notResolved: the rest, by the first strong sign (hand-off, unhappy, clarifying question unanswered)',
        autoResolutionRate:
          'involvement × resolution: the share of conversations the bot answered, times the share of those it resolved',
        notUnderstood:
          'clarifying questions the bot asked because it did not understand, and second misses in a row handed to a person',
        botResponseMs: 'time from a buyer message reaching xiaoer to its answer being queued for the channel',
        agentPickupMs: 'time from a hand-off being opened to an agent first claiming it',
        agentReplyBreaches:
          'hand-offs that waited 100 s / 3 min or more for a person’s first answer, counted the moment the line was crossed (on that day), answered or not',
        agentFirstReplyMs: 'time from a hand-off being opened to a person’s first answer in it',
        agentFirstReplyWaits:
          'the same times in bands: under 30 s, 30–100 s, 100 s–3 min, 3 min or more (of the newest 2,000 a day)',
        messagesPerHour: 'buyer messages read, and hand-offs opened, in each hour of the shop’s day',
        agentHandlingMs: 'time from a hand-off being first claimed to its resolve',
        agents:
          'per agent: hand-offs resolved and their mean handling time, first answers and their mean time',
        waitingNow:
          'buyers waiting right now for a person to take them, and how many have waited past 100 s / 3 min',
        satisfaction:
          'the 1–5 question asked after an agent resolved a conversation, and when a buyer thanked the bot for its answers (once a day): asked, answered and the mean score, in all, for the agents and for the bot',
      },
    });
  });

  // What buyers asked that the bot could not answer, grouped, most often asked first: what to teach it next.
  // An answer for what buyers asked, from the unanswered list: an FAQ entry of an item or the shop,
  // in effect in every instance within seconds. The next buyer who asks it (in other words too) gets it.
  router.post('/v1/admin/faq', admin, json, async (req, res) => {
    const { productId, question, language, answer } = validated(FaqBody, req.body, 'FAQ entry');
    if (productId && !deps.catalog.product(productId))
      throw new NotFoundError(`no product ${productId} in the catalog`);
    const entry = { q: { [language]: [question] }, a: answer };
    const outcome = await deps.catalogSync.edit((data) => ({
      shop: productId ? data.shop : { ...data.shop, faq: [...data.shop.faq, entry] },
      products: data.products.map((p) => (p.id === productId ? { ...p, faq: [...p.faq, entry] } : p)),
    }));
    if (!outcome.ok)
      throw new AppError('VALIDATION_FAILED', 'the answer could not be added: the catalog would be invalid', {
        details: outcome.errors.slice(0, 20),
      });
    res.status(201).json({ added: entry, ...(productId ? { productId } : {}), hash: outcome.hash });
  });

  // Big-sale planning: agents per shift for a day the shop describes, from its measured share of
  // conversations the bot finishes (the last 30 days), as `npm run staffing` prints it.
  router.get('/v1/admin/staffing', admin, async (req, res) => {
    const { uv, consultRate, perAgent, dayShare } = validated(StaffingQuery, req.query, 'query');
    const now = deps.clock.now();
    const measured = await deps.stats.summary(measuredDays(now, deps.shifts.timeZone), now);
    const hours = deps.shifts.workHours.map(([from, to]) => ((to - from + 86_400) % 86_400 || 86_400) / 3600);
    const [dayShift = 9, nightShift = 0] = hours;
    const estimate = estimateStaffing({
      uv,
      consultRate,
      autoResolutionRate: measured.autoResolutionRate ?? 0,
      perAgentPerDay: perAgent,
      dayShare: nightShift > 0 ? dayShare : 1,
      dayShiftHours: dayShift,
      nightShiftHours: nightShift || dayShift,
    });
    res.json({
      ...estimate,
      nightShiftAgents: nightShift > 0 ? estimate.nightShiftAgents : 0,
      autoResolutionRate: measured.autoResolutionRate,
      measuredConversations: measured.activeConversations,
      shifts: hours,
    });
  });

  // A question the bot could not answer, labelled by the shop: it joins the agents' corrected
  // intents for corpus review (npm run export-labels), not the bot's knowledge directly.
  router.post('/v1/admin/labels', admin, json, async (req, res) => {
    const { text, intent, language } = validated(LabelBody, req.body, 'label');
    await deps.saveLabel({ text, intent, language, at: new Date().toISOString(), source: 'unanswered' });
    res.status(201).json({ labelled: { text, intent, language } });
  });

  router.get('/v1/admin/unanswered', admin, async (req, res) => {
    const { days } = validated(UnansweredQuerySchema, req.query, 'query');
    res.json(await deps.stats.unansweredList(days, new Date(), UNANSWERED_LISTED));
  });

  router.get('/v1/admin/conversations', admin, async (req, res) => {
    const { limit } = validated(ListQuerySchema, req.query, 'query');
    res.json({ conversations: await deps.conversations.recent(limit) });
  });

  router.get('/v1/admin/conversations/:id', admin, async (req, res) => {
    const { id } = validated(IdParamSchema, req.params, 'path');
    const { limit } = validated(
      ListQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(500).default(200) }),
      req.query,
      'query',
    );
    const conversation = await deps.conversations.load(id);
    if (!conversation) throw new NotFoundError(`no conversation ${id}`);
    res.json({ conversation, messages: await deps.conversations.history(id, limit) });
  });

  // Jobs that failed every retry stay in their queue: listed here and replayable, never dropped.
  router.get('/v1/admin/:queue/failed', admin, async (req, res) => {
    const queue = queueNamed(deps.queues, String(req.params.queue));
    const { limit } = validated(ListQuerySchema, req.query, 'query');
    res.json(await queue.failed(limit));
  });

  router.post('/v1/admin/:queue/failed/replay-all', admin, async (req, res) => {
    await queueNamed(deps.queues, String(req.params.queue)).replayAll();
    res.status(202).json({ replayed: 'all' });
  });

  router.post('/v1/admin/:queue/failed/:id/replay', admin, async (req, res) => {
    const queue = queueNamed(deps.queues, String(req.params.queue));
    const { id } = validated(IdParamSchema, { id: req.params.id }, 'path');
    if (!(await queue.replay(id))) throw new NotFoundError(`no failed ${req.params.queue} job ${id}`);
    res.status(202).json({ replayed: id });
  });

  // The orders page: the day's orders with their reminders, invoices waiting, warehouse stops.
  router.get('/v1/admin/orders', admin, async (req, res) => {
    const { day } = validated(OrdersQuery, req.query, 'query');
    const shown = day ?? localDate(deps.clock.now(), deps.shifts.timeZone);
    const [placed, invoices, warehouse] = await Promise.all([
      deps.orders.placedOn(shown, 500),
      deps.orders.invoicesWaiting(),
      deps.orders.warehouseTasks(),
    ]);
    res.json({
      day: shown,
      timeZone: deps.shifts.timeZone,
      orders: placed.map(orderRow),
      invoices: invoices.map(invoiceRow),
      warehouse: warehouse.map(warehouseRow),
    });
  });

  // The shop issued the invoice: it leaves the waiting list.
  router.post('/v1/admin/orders/:id/invoice-issued', admin, async (req, res) => {
    const { id } = validated(IdParamSchema, req.params, 'path');
    const now = deps.clock.now().toISOString();
    let asked = true;
    const order = await deps.orders.update(id, (o) => {
      if (!o) return undefined;
      if (!o.invoice) {
        asked = false;
        return undefined;
      }
      // updatedAt stays: it orders the buyer's orders, and the bot answers about the latest one.
      return { ...o, invoice: { ...o.invoice, issuedAt: o.invoice.issuedAt ?? now } };
    });
    if (!asked) throw new AppError('NO_INVOICE_REQUEST', `order ${id} has no invoice request`);
    if (!order) throw new NotFoundError(`no order ${id}`);
    res.json({ invoice: invoiceRow(order) });
  });

  router.get('/v1/admin/orders/:id', admin, async (req, res) => {
    const { id } = validated(IdParamSchema, req.params, 'path');
    const order = await deps.orders.get(id);
    if (!order) throw new NotFoundError(`no order ${id}`);
    res.json({ order });
  });

  router.get('/v1/admin/guard/refused', admin, async (req, res) => {
    const { limit } = validated(
      ListQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      req.query,
      'query',
    );
    res.json({ refused: await deps.refused.recent(limit) });
  });

  router.get('/v1/admin/reminders/stats', admin, async (_req, res) => {
    res.json(await deps.orders.reminderStats());
  });

  return router;
}
