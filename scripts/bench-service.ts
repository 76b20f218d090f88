import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serviceNodeArgs } from './service-command.ts';

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((done) => probe.close(done));
  return port;
}

/**
 * Runs a script (the built service with its flags, or the bare echo; a .ts file through tsx) in its own node
 * process on a free port and waits for its /healthz. The service logs at warn: per-message info
 * lines would be measured too.
 */
export async function startProcess(
  script: string | string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_NODE_ARGS: extra node flags for the measured processes, e.g. "--cpu-prof --cpu-prof-dir=prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // A .ts file runs through tsx; an argument list (node flags, then the script) runs as it is.
  const scriptArgs = Array.isArray(script)
    ? script
    : script.endsWith('.ts')
      ? ['--import', 'tsx', script]
      : [script];
  const child = spawn(process.execPath, [...nodeArgs, ...scriptArgs], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, url };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${script} did not become healthy`);
}

let built = false;

/** The service as `npm start` runs it: src/ compiled to dist/ (built here, once per script), then node with the start script's flags. */
export async function startService(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  if (!built) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  built = true;
  return startProcess(serviceNodeArgs(), env);
}

/** SIGTERM, and wait until the process has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}
