import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('logging from two threads', () => {
  it('keeps every line whole on a pipe whose reader falls behind', async () => {
    // Through a real pipe (a container's stdout, a log collector) read only after half a second:
    // the pipe fills, and each thread's writes wait for room.
    const script = fileURLToPath(new URL('../fixtures/log-threads.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-c', `"${process.execPath}" "${script}" | (sleep 0.5; cat)`],
      { env: { ...process.env, FIXTURE_LINES: '5000' }, maxBuffer: 64 * 1024 * 1024 },
    );
    const lines = stdout.split('\n').filter(Boolean);
    const broken = lines.filter((line) => {
      try {
        const entry = JSON.parse(line) as { thread?: number; padding?: string };
        return entry.padding !== String(entry.thread).repeat(900);
      } catch {
        return true;
      }
    });
    expect(broken).toEqual([]);
    expect(lines).toHaveLength(10_000);
  }, 60_000);
});
