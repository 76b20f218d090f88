import { Queue, Worker } from 'bullmq';
import { queueName } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import type { Logger } from '../shared/logger.ts';
import type { Desk } from './desk-service.ts';

export const DESK_SWEEP_QUEUE = queueName('desk-sweep');
const SCHEDULER_ID = 'lease-sweep';
/** Looking for the scheduler is two reads; a sweep missed for a second is harmless. */
const MIN_CHECK_MS = 1_000;

/**
 * BullMQ's own job lock is 30 s and built for machines; a person's claim is a lease renewed by
 * the desk page's heartbeat. This job scheduler checks the leases every few seconds, once across
 * all instances, and puts the claims of silent agents back in the queue.
 *
 * The scheduler lives in Redis only: a Redis that comes back empty (restarted without persistence,
 * flushed by hand) would leave claims held forever. Each instance looks for it (and its next job)
 * every `everyMs` and puts it back when it is gone.
 */
export async function startDeskSweeper(options: {
  connection: RedisClient;
  prefix: string;
  everyMs: number;
  desk: Desk;
  log: Logger;
}): Promise<{ queue: Queue; worker: Worker }> {
  const log = options.log.child({ module: 'desk-sweep' });
  const queue = new Queue(DESK_SWEEP_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: 100 },
  });
  const schedule = () =>
    queue.upsertJobScheduler(SCHEDULER_ID, { every: options.everyMs }, { name: 'sweep' });
  await schedule();
  const worker = new Worker(DESK_SWEEP_QUEUE, async () => options.desk.sweep(), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 1,
  });
  worker.on('failed', (_job, err) => log.warn({ err }, 'desk sweep failed'));

  let checking = false;
  const check = async () => {
    if (checking || worker.closing) return;
    checking = true;
    try {
      if (await isScheduled(queue)) return;
      await schedule();
      log.warn(
        { everyMs: options.everyMs },
        'the desk sweep schedule was gone from Redis (restarted empty or flushed?); re-created',
      );
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not check the desk sweep schedule; trying again');
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), Math.max(MIN_CHECK_MS, options.everyMs));
  timer.unref();
  worker.on('closing', () => clearInterval(timer));
  return { queue, worker };
}

/**
 * The scheduler exists and so does the job it runs next. BullMQ adds the following job when it
 * starts the current one and moves the scheduler's score to it, so one of them is always there.
 */
async function isScheduled(queue: Queue): Promise<boolean> {
  const scheduler = await queue.getJobScheduler(SCHEDULER_ID);
  if (!scheduler?.next) return false;
  return (await queue.getJob(`repeat:${SCHEDULER_ID}:${scheduler.next}`)) !== undefined;
}
