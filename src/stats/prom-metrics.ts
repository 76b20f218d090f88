import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';

export interface Metrics {
  registry: Registry;
  accepted: Counter<'channel'>;
  sent: Counter<'kind' | 'from'>;
  sendFailures: Counter<'final'>;
  handoffs: Counter<'reason'>;
}

/** Prometheus metrics of this process, plus queue depths read from Redis and the /healthz checks, when scraped. */
export function createMetrics(queues: Record<string, Queue>, health: () => { checks: Record<string, boolean> } = () => ({ checks: {} })): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'xiaoer_' });
  const metrics: Metrics = {
    registry,
    accepted: new Counter({ name: 'xiaoer_messages_accepted_total', help: 'Buyer messages accepted (202, not duplicates)', labelNames: ['channel'], registers: [registry] }),
    sent: new Counter({ name: 'xiaoer_messages_sent_total', help: 'Messages delivered to the channel', labelNames: ['kind', 'from'], registers: [registry] }),
    sendFailures: new Counter({ name: 'xiaoer_send_failures_total', help: 'Failed sends (final: no retries left)', labelNames: ['final'], registers: [registry] }),
    handoffs: new Counter({ name: 'xiaoer_handoffs_total', help: 'Conversations handed to a person', labelNames: ['reason'], registers: [registry] }),
  };
  new Gauge({
    name: 'xiaoer_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const [name, queue] of Object.entries(queues)) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
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
