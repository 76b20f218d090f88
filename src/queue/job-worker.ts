import { UnrecoverableError, Worker } from 'bullmq';
import type { z } from 'zod';
import type { Logger } from '../shared/logger.ts';
import type { RedisClient } from '../shared/redis-client.ts';

export interface JobWorkerOptions<S extends z.ZodType> {
  queue: string;
  /** The job's kind, for errors: 'order' gives "bad order job: …". */
  kind: string;
  /** A job whose data does not fit is failed for good (UnrecoverableError): retrying can't help it. */
  schema: S;
  connection: RedisClient;
  prefix: string;
  concurrency: number;
  run(data: z.infer<S>): Promise<unknown>;
  /** What a failed job is logged as ('order event failed'), with its id and error. */
  failedMessage: string;
  log: Logger;
}

/** A BullMQ worker for one kind of job: its data checked first, its failures logged. */
export function createJobWorker<S extends z.ZodType>(options: JobWorkerOptions<S>): Worker {
  const worker = new Worker(
    options.queue,
    async (job) => {
      const parsed = options.schema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad ${options.kind} job: ${parsed.error.message}`);
      return options.run(parsed.data);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency },
  );
  worker.on('failed', (job, err) => job && options.log.error({ jobId: job.id, err }, options.failedMessage));
  return worker;
}
