import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from '../../src/boot/redis-connection.ts';
import { waitFor } from './wait.ts';

/** A redis-server of the test's own, so the test can stop it (never the shared one). */
export class RedisProcess {
  private child: ChildProcess | undefined;
  port = 0;
  readonly dir = mkdtempSync(join(tmpdir(), 'xiaoer-redis-'));

  /** `appendonly: false`: a Redis that keeps its data in memory only, as Redis does by default. */
  constructor(private readonly options: { appendonly?: boolean } = {}) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child && isRunning(this.child)) return; // a second redis-server on the port would fail, and the first would leak
    if (this.port === 0) this.port = await freePort();
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        this.options.appendonly === false ? 'no' : 'yes',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    if (!(await allAnswer([this.child], [this.port]))) throw new Error('test redis-server did not start');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child) await stopChild(this.child, signal);
  }
}

export const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Stops a child process and waits for it to exit (at once if it has already). */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!isRunning(child)) return;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill(signal);
  });
}

/** True once Redis answers on every port; false as soon as one of the processes has exited. */
/** `ports`: a local port, or a whole URL (one that carries a password). */
export async function allAnswer(children: ChildProcess[], ports: (number | string)[]): Promise<boolean> {
  const exited = () => !children.every(isRunning);
  const answering = async () =>
    (
      await Promise.all(
        ports.map((p) => redisAnswers(typeof p === 'string' ? p : `redis://127.0.0.1:${p}`, 200)),
      )
    ).every(Boolean);
  await waitFor(async () => exited() || (await answering()), 20_000, `redis-server on ${ports.join(', ')}`);
  return !exited();
}

/**
 * Runs `start` (which picks free ports) until its processes come up. A free port can be taken by
 * another test file's process before redis-server binds it; the process then exits at once.
 */
export async function startOnFreePorts(
  start: () => Promise<boolean>,
  stop: () => Promise<void>,
  what: string,
): Promise<void> {
  for (let attempt = 1; !(await start()); attempt++) {
    await stop();
    if (attempt === 5) throw new Error(`${what} did not start (ports taken?)`);
  }
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/** `n` distinct free ports: all held open together, so none is handed out twice. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((done) => {
          server.listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port));
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}
