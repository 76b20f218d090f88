import { describe, expect, it } from 'vitest';
import { isLoopback, loadConfig, SAMPLE_CATALOG_FILE } from '../src/config.ts';
import { ConfigError } from '../src/shared/errors.ts';

describe('configuration', () => {
  it('uses the contract defaults and warns about public secrets', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      KEY_PREFIX: 'xiaoer',
      WEBHOOK_SECRET: 'dev-secret',
      SHOP_TZ: 'Asia/Shanghai',
      REMINDER_AT: '15:30',
      SHIP_CUTOFF: '16:00',
      REMINDER_MIN_DELAY: 30,
      QUIET_HOURS: '22:00-08:00',
      ADMIN_TOKEN: 'admin-token',
      CATALOG_FILE: SAMPLE_CATALOG_FILE,
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.CHANNEL_SEND_URL).toBeUndefined();
    expect(config.AGENT_TOKENS).toEqual([{ name: 'demo', token: 'demo-token' }]);
    expect(config.warnings.join('\n')).toMatch(/WEBHOOK_SECRET[\s\S]*AGENT_TOKENS[\s\S]*ADMIN_TOKEN/);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.warnings).toHaveLength(1); // one line: demo mode, on this machine only
  });

  it('reads every variable it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      REDIS_URL: 'redis://10.0.0.5:6380',
      KEY_PREFIX: 'shop-a',
      WEBHOOK_SECRET: 'a-long-secret',
      CHANNEL_SEND_URL: 'https://shop.example/send',
      SHOP_TZ: 'Europe/Madrid',
      REMINDER_AT: '15:30:15',
      SHIP_CUTOFF: '17:00',
      REMINDER_MIN_DELAY: '45',
      QUIET_HOURS: 'off',
      AGENT_TOKENS: 'ann:tok-ann,bo:tok-bo',
      ADMIN_TOKEN: 'admin-secret-1',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      SHOP_TZ: 'Europe/Madrid',
      REMINDER_AT: '15:30:15',
      REMINDER_MIN_DELAY: 45,
      QUIET_HOURS: 'off',
    });
    expect(config.AGENT_TOKENS).toEqual([
      { name: 'ann', token: 'tok-ann' },
      { name: 'bo', token: 'tok-bo' },
    ]);
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

  it("takes the Sentinels' own password only together with the Sentinels", () => {
    expect(
      loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379', REDIS_SENTINEL_PASSWORD: 's3cret' })
        .REDIS_SENTINEL_PASSWORD,
    ).toBe('s3cret');
    expect(() => loadConfig({ REDIS_SENTINEL_PASSWORD: 's3cret' })).toThrow(
      /REDIS_SENTINEL_PASSWORD: is the Sentinels' password: set REDIS_SENTINELS too/,
    );
  });

  it('switches Telegram on with its settings, and refuses half of them naming what is missing', () => {
    const off = loadConfig({});
    expect([off.TELEGRAM_BOT_TOKEN, off.TELEGRAM_WEBHOOK_SECRET]).toEqual([undefined, undefined]);
    expect(off.TELEGRAM_API_BASE).toBe('https://api.telegram.org');
    const token = '123456:AAH0123456789abcdefghijk_-xyz';
    const on = loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 'hook_secret-1' });
    expect([on.TELEGRAM_BOT_TOKEN, on.TELEGRAM_SENDS_PER_SECOND]).toEqual([token, 30]);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: token })).toThrow(
      /TELEGRAM_WEBHOOK_SECRET: is missing: Telegram needs TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET/,
    );
    expect(() => loadConfig({ TELEGRAM_WEBHOOK_SECRET: 'hook_secret-1' })).toThrow(
      /TELEGRAM_BOT_TOKEN: is missing/,
    );
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'not a token', TELEGRAM_WEBHOOK_SECRET: 'x' })).toThrow(
      /TELEGRAM_BOT_TOKEN: expected the token @BotFather gave/,
    );
    expect(() =>
      loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 'has spaces in it' }),
    ).toThrow(/TELEGRAM_WEBHOOK_SECRET: 1–256 of/);
  });

  it('switches WhatsApp on with its four settings, and reads the reminder template', () => {
    const all = {
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
      WHATSAPP_ACCESS_TOKEN: 'EAAG0123456789abcdefghijkl',
      WHATSAPP_APP_SECRET: 'app-secret-1',
      WHATSAPP_VERIFY_TOKEN: 'verify',
    };
    const on = loadConfig({ ...all, WHATSAPP_REMINDER_TEMPLATE: 'unpaid_reminder:es_ES' });
    expect(on.WHATSAPP_REMINDER_TEMPLATE).toEqual({ name: 'unpaid_reminder', language: 'es_ES' });
    expect(on.WHATSAPP_API_BASE).toBe('https://graph.facebook.com/v23.0');
    const { WHATSAPP_APP_SECRET: _secret, WHATSAPP_VERIFY_TOKEN: _verify, ...half } = all;
    expect(() => loadConfig(half)).toThrow(
      /WHATSAPP_APP_SECRET: is missing: WhatsApp needs[^\n]*\n\s*WHATSAPP_VERIFY_TOKEN: is missing/,
    );
    expect(() => loadConfig({ ...all, WHATSAPP_REMINDER_TEMPLATE: 'Unpaid Reminder' })).toThrow(
      /WHATSAPP_REMINDER_TEMPLATE: expected name:language/,
    );
  });

  it('switches WeCom on with its four settings, checking the EncodingAESKey', () => {
    const all = {
      WECOM_CORP_ID: 'ww1436e0e65a779aee',
      WECOM_SECRET: 'kf-app-secret-0123',
      WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPm',
      WECOM_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
    };
    expect(loadConfig(all).WECOM_API_BASE).toBe('https://qyapi.weixin.qq.com');
    expect(loadConfig(all).WECOM_HANDOFF).toBe('desk');
    expect(loadConfig({ ...all, WECOM_HANDOFF: 'servicers' }).WECOM_HANDOFF).toBe('servicers');
    expect(() => loadConfig({ ...all, WECOM_HANDOFF: 'wecom' })).toThrow(/WECOM_HANDOFF/);
    expect(() => loadConfig({ WECOM_CORP_ID: all.WECOM_CORP_ID })).toThrow(
      /WECOM_SECRET: is missing: WeCom needs WECOM_CORP_ID, WECOM_SECRET, WECOM_TOKEN, WECOM_AES_KEY/,
    );
    expect(() => loadConfig({ ...all, WECOM_AES_KEY: 'too-short' })).toThrow(
      /WECOM_AES_KEY: expected the callback's EncodingAESKey/,
    );
  });

  it('starts worker processes from a ROLE=all process only', () => {
    expect(loadConfig({ WORKER_PROCESSES: '2' }).WORKER_PROCESSES).toBe(2);
    expect(loadConfig({}).WORKER_PROCESSES).toBe(0);
    expect(() => loadConfig({ WORKER_PROCESSES: '2', ROLE: 'web' })).toThrow(
      /WORKER_PROCESSES: worker processes are started by a ROLE=all process only/,
    );
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
    expect(() => loadConfig({ WORKER_THREADS: '1', WORKER_PROCESSES: '1' })).toThrow(
      /WORKER_THREADS: set WORKER_PROCESSES or WORKER_THREADS, not both/,
    );
    expect(() => loadConfig({ WORKER_THREADS: '1', ROLE: 'worker' })).toThrow(
      /WORKER_THREADS: worker threads are started by a ROLE=all process only/,
    );
    expect(() => loadConfig({ WORKER_THREADS: '-1' })).toThrow(/WORKER_THREADS/);
  });

  it("takes a cluster's seed nodes, but not together with REDIS_URL", () => {
    expect(
      loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis://:pw@10.0.0.2:7001' }).REDIS_CLUSTER_NODES,
    ).toEqual(['10.0.0.1:7000', 'redis://:pw@10.0.0.2:7001']);
    expect(() =>
      loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', REDIS_URL: 'redis://10.0.0.5:6379' }),
    ).toThrow(/REDIS_URL: set one of REDIS_URL .*REDIS_CLUSTER_NODES .*REDIS_SENTINELS/);
    expect(() =>
      loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379', REDIS_CLUSTER_NODES: '10.0.0.1:7000' }),
    ).toThrow(/not several/);
  });

  describe('demo mode and production', () => {
    const own = {
      WEBHOOK_SECRET: 'whsec-0123456789abcdef',
      ADMIN_TOKEN: 'admin-0123456789abcdef',
      AGENT_TOKENS: 'ann:ann-0123456789abcdef',
    };

    it.each([
      '127.0.0.1',
      '127.8.9.10',
      '::1',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      'localhost',
      'LOCALHOST',
    ])('counts %s as loopback', (host) => {
      expect(isLoopback(host)).toBe(true);
    });

    it.each([
      '0.0.0.0',
      '::',
      '10.0.0.5',
      '128.0.0.1',
      '::ffff:10.0.0.1',
      'shop.example',
      'localhost.example',
    ])('counts %s as reachable from other machines', (host) => {
      expect(isLoopback(host)).toBe(false);
    });

    it('runs as a demo on loopback, whatever is left at its public value, and names those', () => {
      expect(loadConfig({ HOST: '::1', WEBHOOK_SECRET: 'x' }).warnings).toEqual([
        expect.stringMatching(
          /^demo mode: AGENT_TOKENS, ADMIN_TOKEN are their public demo values, so xiaoer listens on ::1 \(this machine\) only/,
        ),
      ]);
      expect(loadConfig({ ...own, HOST: '127.0.0.1' }).warnings).toEqual([]);
    });

    it('refuses production (NODE_ENV or a HOST beyond loopback) until all three are set, naming each missing', () => {
      expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
        /NODE_ENV=production[\s\S]*WEBHOOK_SECRET: not set[\s\S]*AGENT_TOKENS: not set[\s\S]*ADMIN_TOKEN: not set/,
      );
      expect(() => loadConfig({ ...own, HOST: '0.0.0.0', ADMIN_TOKEN: undefined })).toThrow(
        /HOST=0.0.0.0 \(not a loopback address\)[\s\S]*ADMIN_TOKEN: not set/,
      );
      expect(() => loadConfig({ ...own, HOST: 'shop.example', AGENT_TOKENS: '' })).toThrow(
        /AGENT_TOKENS: not set/,
      );
      expect(loadConfig({ ...own, NODE_ENV: 'production', HOST: '0.0.0.0' })).toMatchObject({
        HOST: '0.0.0.0',
        warnings: [],
      });
    });

    it('reads Production and prod as production, and counts no spaces in a secret', () => {
      for (const value of ['Production', 'PROD', ' prod '])
        expect(() => loadConfig({ NODE_ENV: value })).toThrow(/WEBHOOK_SECRET: not set/);
      expect(() => loadConfig({ ...own, NODE_ENV: 'production', ADMIN_TOKEN: ' '.repeat(20) })).toThrow(
        /ADMIN_TOKEN: shorter than 16 characters/,
      );
      expect(loadConfig({ NODE_ENV: 'development' }).warnings).toHaveLength(1);
    });

    it('refuses a secret or token under 16 characters in production, naming each, never printing one', () => {
      const attempt = () =>
        loadConfig({
          ...own,
          NODE_ENV: 'production',
          WEBHOOK_SECRET: 'dev-secret',
          ADMIN_TOKEN: 'admin-token',
          METRICS_TOKEN: 'scrape',
          AGENT_TOKENS: 'ann:ann-0123456789abcdef,bo:demo-token',
        });
      expect(attempt).toThrow(ConfigError);
      const message = (() => {
        try {
          attempt();
          return '';
        } catch (err) {
          return (err as Error).message;
        }
      })();
      for (const name of ['WEBHOOK_SECRET', 'ADMIN_TOKEN', 'METRICS_TOKEN'])
        expect(message).toMatch(new RegExp(`${name}: shorter than 16 characters`));
      expect(message).toMatch(/AGENT_TOKENS: the token of agent "bo" is shorter than 16 characters/);
      expect(message).not.toMatch(/"ann"|dev-secret|admin-token|demo-token|scrape/);
      // On loopback without NODE_ENV=production, short values are the owner's own business.
      expect(
        loadConfig({
          WEBHOOK_SECRET: 'dev-secret',
          ADMIN_TOKEN: 'admin-token',
          AGENT_TOKENS: 'bo:demo-token',
        }).warnings,
      ).toEqual([]);
    });

    it('refuses a HOST that is neither an address nor a host name', () => {
      expect(() => loadConfig({ HOST: 'http://0.0.0.0' })).toThrow(
        /HOST: expected an IP address or a host name/,
      );
      expect(() => loadConfig({ HOST: '[::1]' })).toThrow(/HOST/);
    });
  });
});
