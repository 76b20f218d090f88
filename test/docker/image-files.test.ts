import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceNodeArgs } from '../../scripts/service-command.ts';
import { freePort } from '../helpers/redis-process.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * Docker can't run on these machines: this builds what the image would hold without it. It reads
 * the Dockerfile and .dockerignore, copies what each COPY takes (minus what .dockerignore leaves
 * out) into a temporary folder, runs each RUN there, then starts the CMD with the image's ENV.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Instruction {
  op: string;
  args: string;
}

function parseDockerfile(text: string): Instruction[] {
  return text
    .replace(/\\\r?\n/g, ' ') // line continuations
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** `KEY=value …` or the old `KEY value`. */
function parseEnv(args: string): Record<string, string> {
  const [first = '', ...rest] = args.split(/\s+/);
  if (!first.includes('=')) return { [first]: rest.join(' ') };
  return Object.fromEntries(
    args.split(/\s+/).map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1).replace(/^"|"$/g, '')];
    }),
  );
}

/** moby/patternmatcher's rules: `*` and `?` stay within a folder, `**` crosses them; the last match wins; a folder's pattern covers its contents. */
function ignoreMatcher(text: string): (path: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const exception = line.startsWith('!');
      const pattern = (exception ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      const source = pattern
        .split('/')
        .map((part) =>
          part === '**'
            ? '.*'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\.\*\//g, '(.*/)?');
      return { exception, regex: new RegExp(`^${source}$`) };
    });
  return (path) => {
    const parents = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (parents.some((p) => rule.regex.test(p))) excluded = !rule.exception;
    return excluded;
  };
}

/** Files (paths relative to the context) under `source`, a file or a folder. */
function filesOf(source: string): string[] {
  const full = join(ROOT, source);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [source];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** COPY <src>… <dest>, dest relative to WORKDIR: a folder's contents go into dest, a file to dest (or into it when dest ends with /). */
function copy(args: string, into: string, ignored: (path: string) => boolean): string[] {
  const parts = args.split(/\s+/).filter((part) => !part.startsWith('--'));
  const dest = parts.pop()!;
  const copied: string[] = [];
  for (const source of parts) {
    const isDir = existsSync(join(ROOT, source)) && statSync(join(ROOT, source)).isDirectory();
    const files = filesOf(source).filter((file) => !ignored(file));
    // Docker fails the build on a COPY whose source the context lacks or .dockerignore leaves out.
    if (files.length === 0)
      throw new Error(`COPY ${source}: not in the build context (missing, or left out by .dockerignore)`);
    for (const file of files) {
      const target = isDir
        ? join(into, dest, relative(source, file))
        : dest.endsWith('/')
          ? join(into, dest, file.split('/').pop()!)
          : join(into, dest);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(ROOT, file), target);
      copied.push(relative(into, target));
    }
  }
  return copied;
}

/**
 * A RUN step as the image runs it, but for two changes on this shared machine: npm ci prefers the
 * machine's npm cache (the registry is slow to ask for all 100-odd packages again), and
 * `npm cache clean --force` is left out (it would empty that cache; in the image it only makes the
 * layer smaller).
 */
function runStep(command: string, cwd: string, env: Record<string, string>): void {
  const steps = command
    .split('&&')
    .map((step) => step.trim())
    .filter((step) => !/^npm cache clean\b/.test(step))
    .map((step) => (/^npm ci\b/.test(step) ? `${step} --prefer-offline` : step));
  execFileSync('sh', ['-c', steps.join(' && ')], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 90_000,
  });
}

describe('the Docker image', () => {
  const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const ignored = ignoreMatcher(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'xiaoer-image-'));
  const prefix = uniquePrefix();
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await deletePrefix(prefix);
  });

  it('keeps tests, reports, git, local modules and data out of the build context, and lets the build script in', () => {
    for (const path of [
      'test/main.test.ts',
      'reports/vitest.json',
      '.git/HEAD',
      'node_modules/bullmq/package.json',
      '.data/appendonly.aof',
      'dist/main.js',
      'scripts/bench-reply.ts',
    ]) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of [
      'scripts/build.ts',
      'src/main.ts',
      'campaigns/double11-2026.json',
      'package-lock.json',
    ])
      expect(ignored(path), path).toBe(false);
  });

  it('is built from its files alone, runs as node on 0.0.0.0 in production, and answers /healthz', async () => {
    const env: Record<string, string> = {};
    const copied: string[] = [];
    let cmd: string[] = [];
    let user = 'root';
    for (const { op, args } of dockerfile) {
      if (op === 'ENV') Object.assign(env, parseEnv(args));
      else if (op === 'COPY') copied.push(...copy(args, dir, ignored));
      else if (op === 'RUN') runStep(args, dir, env);
      else if (op === 'USER') user = args;
      else if (op === 'CMD') cmd = JSON.parse(args) as string[];
    }
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
    expect(user).toBe('node');
    expect(copied).toContain('scripts/build.ts');
    expect(copied.filter((file) => /^(test|reports|node_modules|\.data|\.git)\//.test(file))).toEqual([]);
    expect(cmd).toEqual(['node', ...serviceNodeArgs()]);
    expect(existsSync(join(dir, 'dist/main.js'))).toBe(true);
    // The NLU models were trained at build time, into the image (MODEL_CACHE_DIR, relative to WORKDIR).
    expect(env.MODEL_CACHE_DIR).toBe('models');
    expect(readdirSync(join(dir, 'models')).filter((f) => f.endsWith('.json'))).toHaveLength(1);

    // As `docker run` would, with the secrets production requires; but on 127.0.0.1, not every interface of the test machine.
    const port = await freePort();
    const runEnv = {
      ...env,
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      REDIS_URL: TEST_REDIS_URL,
      KEY_PREFIX: prefix,
      WEBHOOK_SECRET: 'image-test-webhook-secret',
      ADMIN_TOKEN: 'image-test-admin-token',
      AGENT_TOKENS: 'ann:image-test-agent-token',
    };
    const child = spawn(process.execPath, cmd.slice(1), {
      cwd: dir,
      env: runEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null)
            throw new Error(`the service exited with ${child.exitCode}: ${stderr}`);
          return (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200;
        },
        30_000,
        '/healthz 200',
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
