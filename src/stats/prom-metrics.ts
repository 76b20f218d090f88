import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Registry,
  collectDefaultMetrics,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';
import type { QueueView } from '../queue/queue-view.ts';

export interface Metrics {
  registry: Registry;
  accepted: Counter<'channel'>;
  sent: Counter<'kind' | 'from' | 'channel'>;
  sendFailures: Counter<'final'>;
  handoffs: Counter<'reason'>;
  /** The outcome figures of GET /v1/stats, as counters (Grafana: docs/grafana-dashboard.json). */
  waitBreaches: Counter<'line'>;
  unanswered: Counter<'reason'>;
  botAnswered: Counter;
  botNotResolved: Counter<'sign'>;
  botNotResolvedUndone: Counter<'sign'>;
  notUnderstood: Counter<'kind'>;
  satisfactionAsked: Counter<'agent'>;
  satisfactionAnswers: Counter<'agent'>;
  satisfactionScore: Counter<'agent'>;
  /** This process's (or thread's) counters, for the process that started it to add to its /metrics. */
  counters(): Promise<CounterValues>;
  /** What /metrics serves: these metrics, with the counters of the workers this process started added in. */
  render(): Promise<string>;
}

/** Counters as prom-client's getMetricsAsJSON gives them: what a worker sends its parent. */
export type CounterValues = MetricObjectWithValues<MetricValue<string>>[];

/**
 * Prometheus metrics of this process, plus queue depths read from Redis and the /healthz checks,
 * when scraped. `workerCounters`: the last counters each worker thread or process reported; the
 * messages sent and hand-offs are counted there, so /metrics sums them with this process's own.
 */
export function createMetrics(
  queues: Record<string, Pick<QueueView, 'counts'>>,
  health: () => { checks: Record<string, boolean> } = () => ({ checks: {} }),
  workerCounters: () => CounterValues[] = () => [],
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'xiaoer_' });
  // The counters alone, in a registry of their own: a worker sends them each second, and reading the
  // whole registry would also ask Redis for the queue depths each time.
  const counters = new Registry();
  const metrics: Metrics = {
    registry,
    accepted: new Counter({
      name: 'xiaoer_messages_accepted_total',
      help: 'Buyer messages accepted (202, not duplicates)',
      labelNames: ['channel'],
      registers: [registry, counters],
    }),
    sent: new Counter({
      name: 'xiaoer_messages_sent_total',
      help: 'Messages delivered to the channel',
      labelNames: ['kind', 'from', 'channel'],
      registers: [registry, counters],
    }),
    sendFailures: new Counter({
      name: 'xiaoer_send_failures_total',
      help: 'Failed sends (final: no retries left)',
      labelNames: ['final'],
      registers: [registry, counters],
    }),
    handoffs: new Counter({
      name: 'xiaoer_handoffs_total',
      help: 'Conversations handed to a person',
      labelNames: ['reason'],
      registers: [registry, counters],
    }),
    waitBreaches: new Counter({
      name: 'xiaoer_wait_breaches_total',
      help: 'Hand-offs that crossed a waiting line (100s, 3min) with no answer from a person, when crossed',
      labelNames: ['line'],
      registers: [registry, counters],
    }),
    unanswered: new Counter({
      name: 'xiaoer_unanswered_total',
      help: 'Buyer questions the bot could not answer (not-understood, no-fact)',
      labelNames: ['reason'],
      registers: [registry, counters],
    }),
    botAnswered: new Counter({
      name: 'xiaoer_bot_answered_conversations_total',
      help: 'Conversations the bot answered, each counted once a day in the shop time zone (involvement)',
      registers: [registry, counters],
    }),
    botNotResolved: new Counter({
      name: 'xiaoer_bot_not_resolved_total',
      help: 'Conversations the bot answered that a sign marked not resolved (handoff, unhappy, clarify) within 30 minutes of an answer',
      labelNames: ['sign'],
      registers: [registry, counters],
    }),
    botNotResolvedUndone: new Counter({
      name: 'xiaoer_bot_not_resolved_undone_total',
      help: 'Marks of xiaoer_bot_not_resolved_total taken back: a clarifying question answered, or a stronger sign replacing a weaker one',
      labelNames: ['sign'],
      registers: [registry, counters],
    }),
    notUnderstood: new Counter({
      name: 'xiaoer_not_understood_total',
      help: 'Messages the bot did not understand: a clarifying question asked (clarify), or a second miss in a row handed to a person (second-miss)',
      labelNames: ['kind'],
      registers: [registry, counters],
    }),
    satisfactionAsked: new Counter({
      name: 'xiaoer_satisfaction_asked_total',
      help: 'Satisfaction questions asked after an agent resolved a conversation',
      labelNames: ['agent'],
      registers: [registry, counters],
    }),
    satisfactionAnswers: new Counter({
      name: 'xiaoer_satisfaction_answers_total',
      help: 'Satisfaction scores given (1-5)',
      labelNames: ['agent'],
      registers: [registry, counters],
    }),
    satisfactionScore: new Counter({
      name: 'xiaoer_satisfaction_score_sum',
      help: 'Sum of the satisfaction scores given: divide by xiaoer_satisfaction_answers_total for the mean',
      labelNames: ['agent'],
      registers: [registry, counters],
    }),
    counters: async () => (await counters.getMetricsAsJSON()) as CounterValues,
    async render() {
      const fromWorkers = workerCounters();
      if (fromWorkers.length === 0) return registry.metrics();
      return AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), ...fromWorkers]).metrics();
    },
  };
  new Gauge({
    name: 'xiaoer_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const [name, queue] of Object.entries(queues)) {
        const counts = await queue.counts();
        for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
      }
    },
  });
  new Gauge({
    name: 'xiaoer_health_check',
    help: 'Each /healthz check: 1 passing, 0 failing (workerProcesses, workerThreads: every worker process or thread that WORKER_PROCESSES or WORKER_THREADS started reports ok)',
    labelNames: ['check'],
    registers: [registry],
    collect() {
      for (const [check, ok] of Object.entries(health().checks)) this.set({ check }, ok ? 1 : 0);
    },
  });
  return metrics;
}
