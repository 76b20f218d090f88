import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVICE_ARGS } from '../helpers/built-service.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/private-redis-run.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Why this machine can't give the service a network of its own (undefined: it can). */
function cannotIsolate(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for `unshare --net` (CI runs as root)';
  for (const [tool, args] of [
    ['unshare', ['--version']],
    ['ip', ['-V']],
  ] as const) {
    if (spawnSync(tool, args).error) return `\`${tool}\` is not installed`;
  }
  if (spawnSync('unshare', ['--net', 'ip', 'link', 'set', 'lo', 'up']).status !== 0)
    return '`unshare --net` is not permitted here';
  return undefined;
}

interface FixtureResult {
  ok: boolean;
  step: string;
  error?: string;
  defaultRedisAnswers?: boolean;
  redisChildrenAtReady?: number;
  redisChildren?: number;
  dataDirHasAof?: boolean;
  postStatus?: number;
  reply?: { from: string; kind: string; conversationMatches: boolean };
  exit?: { code: number | null; signal: string | null };
  redisRunningAfterStop?: number;
  privateStartedLines?: number;
  workerThreadStartedLines?: number;
  redisLine?: string;
}

/** Runs the fixture in a network namespace of its own (only a loopback, nothing on 6379) and reads its JSON line. */
function runIsolated(
  timeoutMs: number,
): Promise<{ result: FixtureResult | undefined; stderr: string; stdout: string }> {
  // `npm start`'s arguments, its script made absolute: the fixture runs the service in a temporary directory.
  const args = SERVICE_ARGS.map((arg) => (arg.endsWith('.js') ? resolve(REPO, arg) : arg));
  return new Promise((done) => {
    const child = spawn(
      'unshare',
      ['--net', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, FIXTURE],
      {
        env: {
          ...process.env,
          FIXTURE_SERVICE_ARGS: JSON.stringify(args),
          FIXTURE_LIMIT_MS: String(timeoutMs - 5_000),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // The fixture gives up by itself before this; this is the bound if it hangs anyway.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let result: FixtureResult | undefined;
      try {
        result = JSON.parse(last) as FixtureResult;
      } catch {
        result = undefined;
      }
      done({ result, stderr, stdout });
    });
  });
}

const skipReason = cannotIsolate();

/**
 * No Redis setting and nothing on 127.0.0.1:6379: `npm start` starts a private redis-server, and
 * its worker thread uses that same server (it once started a second one of its own, and the
 * messages queued on one were never read from the other).
 */
describe('npm start with no Redis to be found', () => {
  if (skipReason) process.stdout.write(`skipping the private-Redis test: ${skipReason}\n`);

  it.skipIf(skipReason !== undefined)(
    'starts one private redis-server, answers through the worker thread with it, and stops it on SIGTERM',
    async () => {
      const { result, stderr, stdout } = await runIsolated(60_000);
      expect(result, `fixture printed no result:\n${stdout}\n${stderr}`).toBeDefined();
      expect(result!.error, JSON.stringify(result)).toBeUndefined();
      expect(result).toMatchObject({
        ok: true,
        defaultRedisAnswers: false,
        redisLine: 'private',
        workerThreadStartedLines: 1,
        redisChildrenAtReady: 1,
        redisChildren: 1,
        privateStartedLines: 1,
        dataDirHasAof: true,
        postStatus: 202,
        reply: { from: 'bot', conversationMatches: true },
        exit: { code: 0, signal: null },
        redisRunningAfterStop: 0,
      });
    },
    70_000,
  );
});
