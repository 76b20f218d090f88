import { fileURLToPath } from 'node:url';
import { warehouseRow } from '../orders/order-view.ts';
import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Desk, DeskOutcome, HandoffView } from '../desk/desk-service.ts';
import type { DeskEvents } from '../desk/desk-events.ts';
import { openEventStream } from './event-stream.ts';
import { INTENT_IDS } from '../nlu/intent-ids.ts';
import { AppError, NotFoundError, UnauthorizedError } from '../shared/errors.ts';
import { bearer, tokenMatches } from './auth.ts';
import { validated } from '../shared/parse-input.ts';
import { MessageTextSchema } from '../channels/message.ts';

const DESK_PAGE = fileURLToPath(new URL('../../web/desk.html', import.meta.url));
/** Qianniu flags a buyer left 100 s without a person; Taobao scores the share answered within 3 min. */
const SLOW_SECONDS = 100;
const LATE_SECONDS = 180;

const StateQuery = z.object({ state: z.enum(['waiting', 'claimed', 'resolved']).default('waiting') });
const IdParam = z.object({ id: z.string().min(1).max(200) });
const ReplyBody = z.object({ text: MessageTextSchema });
const ResolveBody = z.object({ intent: z.enum(INTENT_IDS).optional() });
const TransferBody = z.object({ agent: z.string().min(1).max(100) });
const TaskDoneBody = z.object({ stopped: z.boolean() });
const NoteBody = z.object({ text: z.string().trim().min(1).max(2000) });
const TagsBody = z.object({ tags: z.array(z.string().trim().min(1).max(30)).max(20) });

export interface DeskRouteDeps {
  desk: Desk;
  agents: readonly { name: string; token: string }[];
  quickReplies(view: HandoffView): { intent: string; text: string }[];
  /** The item and order cards an agent may send, in the buyer's language. */
  cards(view: HandoffView): { product?: string; order?: string };
  /** The bot's own answer to the buyer's latest message, as a draft for the agent. */
  draftReply(view: HandoffView): Promise<{ intent: string; text: string } | undefined>;
  deskEvents: Pick<DeskEvents, 'subscribe'>;
}

function requireAgent(agents: DeskRouteDeps['agents']): RequestHandler {
  return (req, res, next) => {
    const token = bearer(req.headers.authorization);
    // Compare against every token, so the time taken says nothing about which one nearly matched.
    const matches = agents.filter((a) => token !== undefined && tokenMatches(token, a.token));
    if (matches.length !== 1) throw new UnauthorizedError('agent bearer token required');
    res.locals.agent = matches[0]!.name;
    next();
  };
}

/**
 * Since when the buyer has been waiting for a person: their first message after the last agent
 * message (the hand-off itself before any), none once an agent answered what they said last.
 */
function buyerWaitingSince(view: HandoffView): string | undefined {
  const { handoff: h } = view;
  if (h.state === 'resolved') return undefined;
  // This hand-off's messages only: an agent's answer in an earlier one does not count.
  const opened = Date.parse(h.createdAt);
  const messages = view.messages.filter((m) => Date.parse(m.at) >= opened);
  let lastAgent = -1;
  messages.forEach((m, i) => {
    if (m.from === 'agent') lastAgent = i;
  });
  if (lastAgent === -1) return h.createdAt;
  return messages.slice(lastAgent + 1).find((m) => m.from === 'buyer')?.at;
}

function summary(view: HandoffView) {
  const { handoff: h } = view;
  const lastBuyer = [...view.messages].reverse().find((m) => m.from === 'buyer');
  // The message that made the hand-off (older hand-offs did not name it: the buyer's first then).
  const cause =
    (h.messageId ? view.messages.find((m) => m.messageId === h.messageId) : undefined) ??
    view.messages.find((m) => m.from === 'buyer');
  const since = buyerWaitingSince(view);
  const waited = since ? Math.max(0, Math.round((Date.now() - Date.parse(since)) / 1000)) : 0;
  return {
    id: h.id,
    state: h.state,
    conversationId: h.conversationId,
    buyerId: h.buyerId,
    buyerName: view.conversation?.buyerName,
    channel: h.channel,
    language: h.language,
    reason: h.reason,
    intent: h.intent,
    priority: h.priority,
    createdAt: h.createdAt,
    claimedBy: h.claimedBy,
    waitingSeconds: view.waitingSeconds,
    lastMessage: lastBuyer?.text,
    cause: cause?.text,
    product: view.product,
    /** The buyer's unanswered wait (cleared when an agent replies), for the 100 s and 3 min timers. */
    buyerWaitingSince: since,
    warnings: { over100s: waited >= SLOW_SECONDS, over3min: waited >= LATE_SECONDS },
  };
}

function send<T>(res: Response, outcome: DeskOutcome<T>, ok: (value: T) => unknown, status = 200): void {
  switch (outcome.kind) {
    case 'ok':
      res.status(status).json(ok(outcome.value));
      return;
    case 'not-found':
      throw new NotFoundError('no such hand-off');
    case 'refused':
      throw new AppError(
        outcome.reason === 'unknown-agent'
          ? 'VALIDATION_FAILED'
          : outcome.reason === 'agent-offline'
            ? 'AGENT_OFFLINE'
            : 'HANDOFF_CONFLICT',
        `refused: ${outcome.reason}`,
        { details: [{ reason: outcome.reason }] },
      );
    case 'guarded':
      throw new AppError('OUTBOUND_GUARD', `message not sent: it breaks the shop rule "${outcome.rule}"`, {
        details: [{ rule: outcome.rule, match: outcome.match }],
      });
    case 'closed':
      throw new AppError(outcome.code, `message not sent: ${outcome.reason}`);
  }
}

/** The agent desk: the page and its API (bearer token from AGENT_TOKENS). */
export function deskRoutes(deps: DeskRouteDeps): Router {
  const router = Router();
  const agent = requireAgent(deps.agents);
  const json = express.json({ limit: '16kb' });
  const me = (res: Response) => res.locals.agent as string;

  router.get('/desk', (_req, res) => res.sendFile(DESK_PAGE));

  router.get('/v1/desk/me', agent, (_req, res) => {
    res.json({ agent: me(res), agents: deps.agents.map((a) => a.name), intents: INTENT_IDS });
  });

  router.get('/v1/desk/handoffs', agent, async (req, res) => {
    const { state } = validated(StateQuery, req.query, 'query');
    res.json({ handoffs: (await deps.desk.list(state)).map(summary) });
  });

  const claimedBody = (view: HandoffView) => ({
    handoff: { ...summary(view), ...view.handoff },
    messages: view.messages,
    conversation: view.conversation,
    order: view.order,
    product: view.product,
    sendState: view.sendState,
  });

  router.post('/v1/desk/handoffs/claim', agent, async (_req, res) => {
    const view = await deps.desk.claim(me(res));
    if (!view) return void res.status(204).end();
    res.json(claimedBody(view));
  });

  // Any waiting conversation, picked from the list (409 when another agent took it first).
  router.post('/v1/desk/handoffs/:id/claim', agent, async (req, res) => {
    const { id } = validated(IdParam, req.params, 'path');
    send(res, await deps.desk.claimOne(me(res), id), claimedBody);
  });

  router.get('/v1/desk/handoffs/:id', agent, async (req, res) => {
    const { id } = validated(IdParam, req.params, 'path');
    const view = await deps.desk.detail(id);
    if (!view) throw new NotFoundError(`no hand-off ${id}`);
    const lastBuyer = [...view.messages].reverse().find((m) => m.from === 'buyer');
    const [context, draft] = await Promise.all([
      deps.desk.context(view.handoff),
      // The draft is for the agent who holds the conversation: nobody else could send it.
      view.conversation && lastBuyer && view.handoff.state === 'claimed' && view.handoff.claimedBy === me(res)
        ? deps.draftReply(view)
        : undefined,
    ]);
    res.json({
      handoff: { ...summary(view), ...view.handoff },
      messages: view.messages,
      conversation: view.conversation,
      order: view.order,
      product: view.product,
      sendState: view.sendState,
      quickReplies: deps.quickReplies(view),
      cards: deps.cards(view),
      ...(draft ? { draft } : {}),
      ...context,
    });
  });

  router.post('/v1/desk/handoffs/:id/notes', agent, json, async (req, res) => {
    const { id } = validated(IdParam, req.params, 'path');
    const { text } = validated(NoteBody, req.body, 'note');
    send(res, await deps.desk.addNote(me(res), id, text), (note) => ({ note }), 201);
  });

  router.put('/v1/desk/handoffs/:id/tags', agent, json, async (req, res) => {
    const { id } = validated(IdParam, req.params, 'path');
    const { tags } = validated(TagsBody, req.body, 'tags');
    send(res, await deps.desk.setTags(id, tags), (saved) => ({ tags: saved }));
  });

  router.get('/v1/desk/agents', agent, async (_req, res) => {
    res.json({ agents: await deps.desk.agentList() });
  });

  // Pushed, not polled: a new hand-off, a change of hands, a message. Server-sent events over
  // plain HTTP pass proxies; the page reads them with fetch, so the token stays in a header.
  router.get('/v1/desk/events', agent, async (req, res) => {
    await openEventStream(req, res, deps.deskEvents, (event, sendEvent) => sendEvent(event.type, event));
  });

  router.post('/v1/desk/handoffs/:id/messages', agent, json, async (req, res) => {
    const { id } = validated(IdParam, req.params, 'path');
    const { text } = validated(ReplyBody, req.body, 'message');
    send(res, await deps.desk.reply(me(res), id, text), (v) => ({ sent: true, ...v }), 202);
  });

  router.post('/v1/desk/handoffs/:id/resolve', agent, json, async (req, res) => {
    const { id } = validated(IdParam, req.params, 'path');
    const { intent } = validated(ResolveBody, req.body ?? {}, 'resolve request');
    send(res, await deps.desk.resolve(me(res), id, intent), (h) => ({ handoff: h }));
  });

  router.post('/v1/desk/handoffs/:id/release', agent, async (req, res) => {
    const { id } = validated(IdParam, req.params, 'path');
    send(res, await deps.desk.release(me(res), id), (h) => ({ handoff: h }));
  });

  router.post('/v1/desk/handoffs/:id/transfer', agent, json, async (req, res) => {
    const { id } = validated(IdParam, req.params, 'path');
    const { agent: to } = validated(TransferBody, req.body, 'transfer request');
    send(res, await deps.desk.transfer(me(res), id, to), (h) => ({ handoff: h }));
  });

  router.get('/v1/desk/tasks', agent, async (_req, res) => {
    const tasks = await deps.desk.warehouseTasks();
    res.json({ tasks: tasks.map(warehouseRow) });
  });

  router.post('/v1/desk/tasks/:id/done', agent, json, async (req, res) => {
    const { id } = validated(IdParam, req.params, 'path');
    const { stopped } = validated(TaskDoneBody, req.body, 'task result');
    send(res, await deps.desk.closeWarehouseTask(me(res), id, stopped), (v) => ({ closed: true, ...v }));
  });

  router.post('/v1/desk/heartbeat', agent, async (_req, res) => {
    await deps.desk.heartbeat(me(res));
    res.status(204).end();
  });

  return router;
}
