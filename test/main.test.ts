import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('npx', ['tsx', 'src/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => done({ code, stderr }));
  });
}

describe('npm start', () => {
  it('stops with a message naming the variable when a setting is bad', async () => {
    const { code, stderr } = await runMain({ PORT: 'eighty', REMINDER_AT: '3pm' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT/);
    expect(stderr).toMatch(/REMINDER_AT/);
  }, 30_000);

  it('stops with a message naming the file when the catalog is invalid', async () => {
    const { code, stderr } = await runMain({ CATALOG_FILE: 'package.json' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/CATALOG_FILE package.json is invalid/);
  }, 30_000);
});
