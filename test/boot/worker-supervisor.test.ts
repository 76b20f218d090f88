import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startWorkers, type Workers } from '../../src/boot/worker-supervisor.ts';
import { waitFor } from '../helpers/wait.ts';

/** The supervisor of WORKER_THREADS, with a stand-in worker that speaks the same health protocol. */
describe('startWorkers (threads)', () => {
  const script = fileURLToPath(new URL('../fixtures/worker-thread.mjs', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'xiaoer-threads-'));
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const logged = (text: string) => lines.filter((l) => l.includes(text)).length;
  let workers: Workers | undefined;

  afterEach(async () => {
    await workers?.stop();
    workers = undefined;
    lines.length = 0;
    delete process.env.FIXTURE_MODE;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts a thread ready once it reports, and stops it when asked', async () => {
    process.env.FIXTURE_MODE = 'ok';
    workers = startWorkers('thread', 2, log, { script });
    expect(workers.ready()).toBe(0);
    await waitFor(() => workers!.ready() === 2 || undefined, 10_000, 'both threads to report ok');
    expect(workers.running()).toBe(2);
    expect(logged('worker thread started')).toBe(2);
    await workers.stop();
    expect(workers.running()).toBe(0);
    expect(logged('starting it again')).toBe(0);
  });

  it('starts a thread again after an uncaught error ends it', async () => {
    process.env.FIXTURE_MODE = 'crash-once';
    process.env.FIXTURE_MARKER = join(dir, 'crashed');
    workers = startWorkers('thread', 1, log, { script });
    await waitFor(
      () => logged('worker thread failed; starting it again') === 1 || undefined,
      10_000,
      'the crash to be logged',
    );
    expect(lines.join('')).toContain('fixture crash');
    expect(workers.ready()).toBe(0);
    await waitFor(() => workers!.ready() === 1 || undefined, 10_000, 'the new thread to report ok');
    expect(logged('worker thread started')).toBe(2);
  });

  it('counts a thread whose event loop is stuck as not ready until it reports again', async () => {
    process.env.FIXTURE_MODE = 'stuck';
    process.env.FIXTURE_STUCK_MS = '5000';
    workers = startWorkers('thread', 1, log, { script });
    await waitFor(() => workers!.ready() === 1 || undefined, 10_000, 'the thread to report ok');
    await waitFor(() => workers!.ready() === 0 || undefined, 8_000, 'the stuck thread to count as not ready');
    expect(workers.running()).toBe(1);
    await waitFor(() => workers!.ready() === 1 || undefined, 8_000, 'the thread to report again');
  });
});
