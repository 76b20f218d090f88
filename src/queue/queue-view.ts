import type { Queue } from 'bullmq';
import type { Logger } from '../shared/logger.ts';

/** What the admin API and /metrics see of a queue, whether BullMQ or the inbound stream keeps it. */
export interface QueueView {
  /** Jobs by state (waiting, active, delayed, failed …). */
  counts(): Promise<Record<string, number>>;
  /** The failed jobs, newest first: their id, their data, and why they failed. */
  failed(limit: number): Promise<{ failed: FailedJob[]; total: number }>;
  /** Queues every failed job again, with its attempts counted from zero. */
  replayAll(): Promise<void>;
  /** Queues one failed job again; false when there is no failed job with that id. */
  replay(id: string): Promise<boolean>;
}

export type FailedJob = Record<string, unknown> & {
  jobId: string;
  attemptsMade: number;
  failedReason: string;
  failedAt: string | undefined;
};

export function bullQueueView(queue: Queue): QueueView {
  return {
    counts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized'),
    async failed(limit) {
      const jobs = await queue.getFailed(0, limit - 1);
      return {
        failed: jobs.map((job) => ({
          ...(job.data as Record<string, unknown>),
          jobId: job.id!,
          attemptsMade: job.attemptsMade,
          failedReason: job.failedReason,
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
        })),
        total: await queue.getFailedCount(),
      };
    },
    replayAll: () => queue.retryJobs({ state: 'failed' }),
    async replay(id) {
      const job = await queue.getJob(id);
      if (!job || !(await job.isFailed())) return false;
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    },
  };
}

/** A queue as the wiring sees it: what the admin API and /metrics read, readiness and close; BullMQ stays inside. */
export interface QueueHandle {
  view: QueueView;
  /** Resolves once the queue's connection is ready. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** The handle of a BullMQ queue, whose connection errors are logged (the connection retries on its own). */
export function bullQueueHandle(queue: Queue, log: Logger): QueueHandle {
  queue.on('error', (err) => log.warn({ err: err.message, queue: queue.name }, 'queue connection error'));
  return {
    view: bullQueueView(queue),
    ready: () => queue.waitUntilReady().then(() => undefined),
    close: () => queue.close(),
  };
}
