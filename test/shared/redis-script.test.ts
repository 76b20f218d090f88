import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisScript } from '../../src/shared/redis-helpers.ts';
import { RedisProcess } from '../helpers/redis-process.ts';

describe('redisScript', () => {
  const server = new RedisProcess();
  let redis: Redis;
  beforeAll(async () => {
    await server.start();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('runs a script Redis has never seen, and again after Redis forgot its scripts', async () => {
    const add = redisScript(`return redis.call('incrby', KEYS[1], ARGV[1])`);
    expect(await add(redis, ['n'], [2])).toBe(2);
    expect(await add(redis, ['n'], [3])).toBe(5);
    await redis.script('FLUSH'); // a private redis-server: nobody else's scripts go
    expect(await add(redis, ['n'], [4])).toBe(9);
  });
});
