import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisUnavailableError } from '../../src/shared/errors.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { redisAnswers } from '../../src/boot/redis-connection.ts';
import { resolveRedis } from '../../src/boot/private-redis.ts';

const log = silentLogger();
const NOBODY = 'redis://127.0.0.1:1';

describe('the Redis default when REDIS_URL is unset', () => {
  it('uses REDIS_URL when it is set, without probing', async () => {
    const resolved = await resolveRedis({ config: { REDIS_URL: 'redis://example.invalid:6379' }, log });
    expect(resolved).toMatchObject({ url: 'redis://example.invalid:6379', embedded: false });
  });

  it('uses the local default when it answers', async () => {
    const resolved = await resolveRedis({
      config: { REDIS_URL: undefined },
      defaultUrl: 'redis://127.0.0.1:6379',
      log,
    });
    expect(resolved).toMatchObject({ url: 'redis://127.0.0.1:6379', embedded: false });
  });

  it('starts a private redis-server with its append-only file under the data folder, and stops it', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'xiaoer-data-')), '.data');
    const resolved = await resolveRedis({
      config: { REDIS_URL: undefined },
      defaultUrl: NOBODY,
      dataDir,
      log,
    });
    try {
      expect(resolved.embedded).toBe(true);
      const client = new Redis(resolved.url);
      await client.set('k', 'v');
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      client.disconnect();
      expect(existsSync(dataDir)).toBe(true);
      expect(readdirSync(dataDir).some((f) => f.startsWith('appendonly'))).toBe(true);
    } finally {
      await resolved.stop();
    }
    expect(await redisAnswers(resolved.url, 300)).toBe(false);
  });

  it('says how to get Redis when none answers and redis-server is not on PATH', async () => {
    const attempt = resolveRedis({
      config: { REDIS_URL: undefined },
      defaultUrl: NOBODY,
      dataDir: mkdtempSync(join(tmpdir(), 'x-')),
      redisServerCommand: 'no-such-redis-server',
      log,
    });
    await expect(attempt).rejects.toThrow(RedisUnavailableError);
    await expect(
      resolveRedis({
        config: { REDIS_URL: undefined },
        defaultUrl: NOBODY,
        redisServerCommand: 'no-such-redis-server',
        dataDir: mkdtempSync(join(tmpdir(), 'x-')),
        log,
      }),
    ).rejects.toThrow(/REDIS_URL[\s\S]*apt-get install redis-server/);
  });
});
