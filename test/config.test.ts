import { describe, expect, it } from 'vitest';
import { loadConfig, SAMPLE_CATALOG_FILE } from '../src/config.ts';
import { ConfigError } from '../src/shared/errors.ts';

describe('configuration', () => {
  it('uses the contract defaults and warns about public secrets', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000, KEY_PREFIX: 'xiaoer', WEBHOOK_SECRET: 'dev-secret', SHOP_TZ: 'Asia/Shanghai', REMINDER_AT: '15:30',
      SHIP_CUTOFF: '16:00', REMINDER_MIN_DELAY: 30, QUIET_HOURS: '22:00-08:00', ADMIN_TOKEN: 'admin-token', CATALOG_FILE: SAMPLE_CATALOG_FILE,
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.CHANNEL_SEND_URL).toBeUndefined();
    expect(config.AGENT_TOKENS).toEqual([{ name: 'demo', token: 'demo-token' }]);
    expect(config.warnings.join('\n')).toMatch(/WEBHOOK_SECRET[\s\S]*AGENT_TOKENS[\s\S]*ADMIN_TOKEN/);
  });

  it('reads every variable it is given', () => {
    const config = loadConfig({
      PORT: '8080', REDIS_URL: 'redis://10.0.0.5:6380', KEY_PREFIX: 'shop-a', WEBHOOK_SECRET: 'a-long-secret', CHANNEL_SEND_URL: 'https://shop.example/send',
      SHOP_TZ: 'Europe/Madrid', REMINDER_AT: '15:30:15', SHIP_CUTOFF: '17:00', REMINDER_MIN_DELAY: '45', QUIET_HOURS: 'off',
      AGENT_TOKENS: 'ann:tok-ann,bo:tok-bo', ADMIN_TOKEN: 'admin-secret-1',
    });
    expect(config).toMatchObject({ PORT: 8080, SHOP_TZ: 'Europe/Madrid', REMINDER_AT: '15:30:15', REMINDER_MIN_DELAY: 45, QUIET_HOURS: 'off' });
    expect(config.AGENT_TOKENS).toEqual([{ name: 'ann', token: 'tok-ann' }, { name: 'bo', token: 'tok-bo' }]);
    expect(config.warnings).toEqual([]);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['REDIS_URL', 'localhost:6379'],
    ['KEY_PREFIX', 'has:colon'],
    ['CHANNEL_SEND_URL', 'ftp://x'],
    ['SHOP_TZ', 'Mars/Olympus'],
    ['REMINDER_AT', '3pm'],
    ['SHIP_CUTOFF', '24:00'],
    ['REMINDER_MIN_DELAY', '-5'],
    ['QUIET_HOURS', '22-8'],
    ['AGENT_TOKENS', 'no-colon-here'],
    ['KEY_PREFIX', 'has space'],
    ['REDIS_CLUSTER_NODES', '10.0.0.1'],
    ['REDIS_CLUSTER_NODES', 'http://10.0.0.1:7000'],
    ['REDIS_CLUSTER_NODES', ' , '],
    ['REDIS_SENTINELS', 'sentinel-without-port'],
  ])('stops start-up on a bad %s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('takes the Sentinels\' own password only together with the Sentinels', () => {
    expect(loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379', REDIS_SENTINEL_PASSWORD: 's3cret' }).REDIS_SENTINEL_PASSWORD).toBe('s3cret');
    expect(() => loadConfig({ REDIS_SENTINEL_PASSWORD: 's3cret' })).toThrow(/REDIS_SENTINEL_PASSWORD: is the Sentinels' password: set REDIS_SENTINELS too/);
  });

  it('starts worker processes from a ROLE=all process only', () => {
    expect(loadConfig({ WORKER_PROCESSES: '2' }).WORKER_PROCESSES).toBe(2);
    expect(loadConfig({}).WORKER_PROCESSES).toBe(0);
    expect(() => loadConfig({ WORKER_PROCESSES: '2', ROLE: 'web' })).toThrow(/WORKER_PROCESSES: worker processes are started by a ROLE=all process only/);
    expect(() => loadConfig({ WORKER_PROCESSES: 'two' })).toThrow(/WORKER_PROCESSES/);
  });

  it('runs the workers in a thread of their own unless told otherwise', () => {
    expect(loadConfig({}).WORKER_THREADS).toBe(1);
    expect(loadConfig({ WORKER_THREADS: '0' }).WORKER_THREADS).toBe(0);
    expect(loadConfig({ WORKER_THREADS: '3' }).WORKER_THREADS).toBe(3);
    // Worker processes, or a process with one role, run no threads unless asked.
    expect(loadConfig({ WORKER_PROCESSES: '2' }).WORKER_THREADS).toBe(0);
    expect(loadConfig({ ROLE: 'web' }).WORKER_THREADS).toBe(0);
    expect(loadConfig({ ROLE: 'worker' }).WORKER_THREADS).toBe(0);
    expect(() => loadConfig({ WORKER_THREADS: '1', WORKER_PROCESSES: '1' })).toThrow(/WORKER_THREADS: set WORKER_PROCESSES or WORKER_THREADS, not both/);
    expect(() => loadConfig({ WORKER_THREADS: '1', ROLE: 'worker' })).toThrow(/WORKER_THREADS: worker threads are started by a ROLE=all process only/);
    expect(() => loadConfig({ WORKER_THREADS: '-1' })).toThrow(/WORKER_THREADS/);
  });

  it('takes a cluster\'s seed nodes, but not together with REDIS_URL', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis://:pw@10.0.0.2:7001' }).REDIS_CLUSTER_NODES).toEqual(['10.0.0.1:7000', 'redis://:pw@10.0.0.2:7001']);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', REDIS_URL: 'redis://10.0.0.5:6379' })).toThrow(/REDIS_URL: set one of REDIS_URL .*REDIS_CLUSTER_NODES .*REDIS_SENTINELS/);
    expect(() => loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379', REDIS_CLUSTER_NODES: '10.0.0.1:7000' })).toThrow(/not several/);
  });
});
