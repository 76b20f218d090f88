import { spawn, type ChildProcess } from 'node:child_process';
import { SERVICE_ARGS } from './built-service.ts';
import { waitFor } from './wait.ts';

/** The service as `npm start` runs it, in a process of its own, so a test can SIGTERM or SIGKILL it. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  url = '';
  stderr = '';
  stdout = '';

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, SERVICE_ARGS, {
      env: { ...process.env, LOG_LEVEL: 'info', ...this.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
    child.stdout!.on('data', (c: Buffer) => (this.stdout += c.toString()));
    this.url = await new Promise<string>((done, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = out.match(/"url":"(http:[^"]+)"/);
        if (match) done(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`service exited with ${code}: ${this.stderr}`)));
    });
  }

  /** Waits until /healthz says ok: HTTP up, and the workers (in a thread, by default) trained and running. */
  async ready(timeoutMs = 20_000): Promise<void> {
    await waitFor(
      async () => ((await fetch(`${this.url}/healthz`).catch(() => undefined))?.ok ? true : undefined),
      timeoutMs,
      `${this.url}/healthz ok`,
    );
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Resolves with the exit code (null when killed by the signal). */
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill(signal);
    return exited;
  }
}
