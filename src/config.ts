import { BlockList, isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from './shared/errors.ts';

export const SAMPLE_CATALOG_FILE = fileURLToPath(new URL('../data/sample-catalog.json', import.meta.url));
export const SAMPLE_CAMPAIGNS_DIR = fileURLToPath(new URL('../campaigns/', import.meta.url));

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const timeOfDay = (fallback: string) =>
  z.string().regex(TIME_OF_DAY, 'expected a local time HH:MM or HH:MM:SS').default(fallback);

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false; // Intl throws RangeError for an unknown zone: that is the answer, not a fault
  }
}, 'expected an IANA time zone such as Asia/Shanghai');

const quietHours = z
  .string()
  .regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, 'expected HH:MM-HH:MM or off')
  .default('22:00-08:00');

const agentTokens = z
  .string()
  .default('demo:demo-token')
  .transform((raw, ctx) => {
    const pairs = raw
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const agents = pairs.map((pair) => {
      const at = pair.indexOf(':');
      return at <= 0 ? { name: '', token: '' } : { name: pair.slice(0, at), token: pair.slice(at + 1) };
    });
    if (agents.length === 0 || agents.some((a) => !a.name || a.token.length < 4)) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected name:token pairs, comma-separated, tokens of 4+ characters',
      });
      return z.NEVER;
    }
    return agents;
  });

const redisNodes = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const nodes = raw
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    if (nodes.length === 0 || !nodes.every(isRedisNode)) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected host:port or redis://host:port nodes, comma-separated',
      });
      return z.NEVER;
    }
    return nodes;
  });

const hostName = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}(\.[A-Za-z0-9][A-Za-z0-9-]{0,62})*$/;

/** The settings without a default that switch each real channel on: all or none. */
const CHANNEL_SETTINGS = {
  WeCom: ['WECOM_CORP_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_AES_KEY'],
  Telegram: ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'],
  WhatsApp: [
    'WHATSAPP_PHONE_NUMBER_ID',
    'WHATSAPP_ACCESS_TOKEN',
    'WHATSAPP_APP_SECRET',
    'WHATSAPP_VERIFY_TOKEN',
  ],
} as const;

const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z
      .string()
      .refine(
        (h) => isIP(h) !== 0 || hostName.test(h),
        'expected an IP address or a host name, such as 127.0.0.1 or 0.0.0.0',
      )
      .default('127.0.0.1'),
    /** Read here only: "production" refuses the public demo secrets whatever HOST is. */
    NODE_ENV: z.string().optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Ours: a Redis Cluster's seed nodes, `host:port` or `redis://[:password@]host:port`, comma-separated. */
    REDIS_CLUSTER_NODES: redisNodes,
    /** Ours: Redis Sentinels (same form) and the name of the primary they watch. */
    REDIS_SENTINELS: redisNodes,
    REDIS_SENTINEL_NAME: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,100}$/)
      .default('mymaster'),
    /** Ours: the Sentinels' own password (requirepass in sentinel.conf), when they have one. */
    REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
    /** Ours: refuse to start when Redis has neither the append-only file nor a replica (else a loud warning). */
    REDIS_REQUIRE_DURABLE: z.stringbool().default(false),
    KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_{}.-]{1,100}$/, 'letters, digits and _ - . { } only (no spaces or colons)')
      .default('xiaoer'),
    WEBHOOK_SECRET: z.string().min(1).default('dev-secret'),
    CHANNEL_SEND_URL: z.url({ protocol: /^https?$/ }).optional(),
    CATALOG_FILE: z.string().min(1).default(SAMPLE_CATALOG_FILE),
    /** How often each instance looks for a new catalog (an admin's PUT, a changed CATALOG_FILE). */
    CATALOG_CHECK_MS: z.coerce.number().int().min(100).max(5_000).default(1_000),
    CAMPAIGNS_DIR: z.string().min(1).default(SAMPLE_CAMPAIGNS_DIR),
    SHOP_TZ: timeZone.default('Asia/Shanghai'),
    REMINDER_AT: timeOfDay('15:30'),
    SHIP_CUTOFF: timeOfDay('16:00'),
    REMINDER_MIN_DELAY: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(30),
    QUIET_HOURS: quietHours,
    AGENT_TOKENS: agentTokens,
    ADMIN_TOKEN: z.string().min(1).default('admin-token'),
    /** Bearer token for /metrics; unset: /metrics takes ADMIN_TOKEN. */
    METRICS_TOKEN: z.string().min(1).optional(),
    // Ours, beyond the contract:
    ROLE: z.enum(['all', 'web', 'worker']).default('all'),
    /** With ROLE=all: run the workers in this many processes of their own (0: in this one). */
    WORKER_PROCESSES: z.coerce.number().int().min(0).max(64).default(0),
    /**
     * With ROLE=all: run the workers in this many threads of this process, HTTP on the main thread
     * (0: all on one event loop). Unset: 1 with ROLE=all and no WORKER_PROCESSES, else 0.
     */
    WORKER_THREADS: z.coerce.number().int().min(0).max(64).optional(),
    /**
     * Ours: where trained NLU models are kept between starts (a start then takes about a second, not
     * ten). Unset: a folder in the system's temporary directory; `off`: train at every start.
     */
    MODEL_CACHE_DIR: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HISTORY_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .default(24 * 30),
    // A message mostly waits on Redis and the channel: with 16 at a time a 2-core machine topped out
    // near 1,000 msg/s (each took 15 ms to answer, mostly round trips); 64 keep the process busy.
    INBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
    /**
     * Shards of the inbound stream, split by conversation, each in its own Cluster slot. Unset: 8 on
     * a Redis Cluster (spread over its masters), else 1. Raising it later is safe; so is lowering it:
     * workers keep reading every shard a producer ever wrote to.
     */
    INBOUND_SHARDS: z.coerce.number().int().min(1).max(64).optional(),
    OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    OUTBOX_ATTEMPTS: z.coerce.number().int().min(1).max(10_000).default(160),
    OUTBOX_BACKOFF_MS: z.coerce.number().int().min(1).default(2_000),
    OUTBOX_BACKOFF_MAX_MS: z.coerce
      .number()
      .int()
      .min(1)
      .default(10 * 60_000),
    CHANNEL_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    UNPAID_CLOSE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(24 * 60),
    ORDER_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
    WAREHOUSE_REPLY_HOURS: z.coerce.number().min(0.25).max(72).default(4),
    WORK_HOURS: z
      .string()
      .regex(
        /^(([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00))(,([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00))*$/,
        'expected HH:MM-HH:MM windows, comma-separated',
      )
      .default('09:00-18:00,19:00-24:00'),
    DISCOUNT_LIMIT: z.coerce.number().nonnegative().default(20),
    HANDOFF_ORDER_VALUE: z.coerce.number().nonnegative().default(2000),
    AGENT_IDLE_SECONDS: z.coerce.number().min(1).default(300),
    AGENT_ONLINE_SECONDS: z.coerce.number().min(1).default(60),
    HANDOFF_MINUTES: z.coerce.number().min(0.1).default(3),
    DESK_SWEEP_MS: z.coerce.number().int().min(100).default(5_000),
    /** BullMQ job lock: a worker killed mid-job has its job picked up again after about this long. */
    WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    RECEPTION_MODE: z
      .string()
      .regex(
        /^(bot-first|people-first|split:(0(\.\d+)?|1(\.0+)?))$/,
        'expected bot-first, people-first or split:<share to people, 0–1>',
      )
      .default('bot-first'),
    /** While a buyer waits for a person, the bot still answers routine questions of fact (CONTRACT.md). */
    WAITING_ANSWERS: z.stringbool().default(true),
    /** One satisfaction question after an agent resolves a conversation. */
    SATISFACTION: z.stringbool().default(true),
    FLOOD_PER_MINUTE: z.coerce.number().int().min(1).default(12),
    // Above what one process can accept (~4,000/s): a channel posting from one address is never throttled by it.
    IP_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600_000),
    CHAT_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    // The web chat: the page and /v1/chat. Polling once a second per tab, many buyers behind one proxy.
    WEB_CHAT: z.stringbool().default(true),
    CHAT_POLL_PER_MINUTE: z.coerce.number().int().min(60).default(1200),
    WEB_CHAT_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .default(24),
    WEB_CHAT_NEW_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    // Per address, far below the shop-wide number: one address must not spend it all and close the chat to everyone.
    CHAT_NEW_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(3),
    // The real channels (CONTRACT.md "Real channels"): each is on when its settings are set.
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, 'expected the token @BotFather gave, like 123456:ABC-DEF…')
      .optional(),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "1–256 of A-Z a-z 0-9 _ - (Telegram's rule for secret_token)")
      .optional(),
    TELEGRAM_API_BASE: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
    /** Ours: Telegram's shop-wide pace; it allows about 30 messages a second to different chats (more with paid broadcasts). */
    TELEGRAM_SENDS_PER_SECOND: z.coerce.number().min(1).max(1000).default(30),
    WECOM_CORP_ID: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected the corp id from My Company → Company Information (ww…)')
      .optional(),
    WECOM_SECRET: z
      .string()
      .min(8, 'expected the Secret of the app allowed to use customer service')
      .optional(),
    WECOM_TOKEN: z
      .string()
      .regex(/^[A-Za-z0-9]{1,32}$/, "expected the callback's Token: up to 32 letters and digits")
      .optional(),
    WECOM_AES_KEY: z
      .string()
      .regex(/^[A-Za-z0-9]{43}$/, "expected the callback's EncodingAESKey: 43 letters and digits")
      .optional(),
    WECOM_API_BASE: z.url({ protocol: /^https?$/ }).default('https://qyapi.weixin.qq.com'),
    /** Ours: where a WeCom conversation's hand-off goes: our desk, or the account's WeCom servicers. */
    WECOM_HANDOFF: z.enum(['desk', 'servicers']).default('desk'),
    WHATSAPP_PHONE_NUMBER_ID: z
      .string()
      .regex(/^\d{1,30}$/, 'expected the phone number id from WhatsApp Manager (digits)')
      .optional(),
    WHATSAPP_ACCESS_TOKEN: z
      .string()
      .min(20, 'expected the access token from Meta (a long string)')
      .optional(),
    WHATSAPP_APP_SECRET: z.string().min(8, "expected the Meta app's secret").optional(),
    WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
    WHATSAPP_API_BASE: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com/v23.0'),
    WHATSAPP_REMINDER_TEMPLATE: z
      .string()
      .regex(/^[a-z0-9_]{1,512}:[A-Za-z_]{2,10}$/, 'expected name:language, such as unpaid_reminder:en_US')
      .transform((value) => {
        const [name, language] = value.split(':') as [string, string];
        return { name, language };
      })
      .optional(),
    /** Ours: WhatsApp's shop-wide pace; a number takes 80 messages a second by default. */
    WHATSAPP_SENDS_PER_SECOND: z.coerce.number().min(1).max(1000).default(80),
    SHOP_DOMAINS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean),
      ),
  })
  .superRefine((env, ctx) => {
    for (const [channel, names] of Object.entries(CHANNEL_SETTINGS)) {
      const missing = names.filter((name) => env[name] === undefined);
      if (missing.length === 0 || missing.length === names.length) continue;
      for (const name of missing)
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is missing: ${channel} needs ${names.join(', ')} (or none of them, to stay off)`,
        });
    }
  })
  .refine(
    (env) => [env.REDIS_URL, env.REDIS_CLUSTER_NODES, env.REDIS_SENTINELS].filter(Boolean).length <= 1,
    {
      path: ['REDIS_URL'],
      message:
        'set one of REDIS_URL (one Redis), REDIS_CLUSTER_NODES (a cluster) or REDIS_SENTINELS (Sentinel), not several',
    },
  )
  .refine((env) => !env.REDIS_SENTINEL_PASSWORD || env.REDIS_SENTINELS, {
    path: ['REDIS_SENTINEL_PASSWORD'],
    message: "is the Sentinels' password: set REDIS_SENTINELS too",
  })
  .refine((env) => env.WORKER_PROCESSES === 0 || env.ROLE === 'all', {
    path: ['WORKER_PROCESSES'],
    message:
      'worker processes are started by a ROLE=all process only; with ROLE=web or ROLE=worker, start the processes yourself',
  })
  .refine((env) => !env.WORKER_THREADS || env.ROLE === 'all', {
    path: ['WORKER_THREADS'],
    message:
      'worker threads are started by a ROLE=all process only; with ROLE=web or ROLE=worker, start a ROLE=worker process yourself',
  })
  .refine((env) => !env.WORKER_THREADS || env.WORKER_PROCESSES === 0, {
    path: ['WORKER_THREADS'],
    message: 'set WORKER_PROCESSES or WORKER_THREADS, not both',
  })
  .transform((env) => ({
    ...env,
    WORKER_THREADS: env.WORKER_THREADS ?? (env.ROLE === 'all' && env.WORKER_PROCESSES === 0 ? 1 : 0),
  }));

function isRedisNode(node: string): boolean {
  try {
    const url = new URL(node.includes('://') ? node : `redis://${node}`);
    return (
      /^rediss?:$/.test(url.protocol) &&
      url.hostname !== '' &&
      url.port !== '' &&
      url.pathname.replace('/', '') === ''
    );
  } catch {
    return false;
  }
}

export type Config = Readonly<z.infer<typeof EnvSchema> & { warnings: readonly string[] }>;

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.data;
  const publicDefaults = PUBLIC_SECRETS.filter((name) => !present[name]);
  if (exposed(config)) assertOwnSecrets(config, publicDefaults);
  return Object.freeze({
    ...config,
    warnings: publicDefaults.length ? [demoModeWarning(config.HOST, publicDefaults)] : [],
  });
}

/** What anyone who read the README could use (forge messages, read conversations, write to buyers) while left at its default. */
const PUBLIC_SECRETS = ['WEBHOOK_SECRET', 'AGENT_TOKENS', 'ADMIN_TOKEN'] as const;
const MIN_SECRET_LENGTH = 16;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether HOST is this machine only: 127.0.0.0/8, ::1 (also IPv4-mapped) or localhost. */
export function isLoopback(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** Production: reachable from other machines, or declared so. The public demo values are refused there. */
function exposed(config: z.infer<typeof EnvSchema>): boolean {
  // "Production" or "prod" is meant the same way: reading it strictly would start a shop in demo mode.
  return /^prod(uction)?$/i.test(config.NODE_ENV?.trim() ?? '') || !isLoopback(config.HOST);
}

function assertOwnSecrets(config: z.infer<typeof EnvSchema>, publicDefaults: readonly string[]): void {
  const problems = publicDefaults.map(
    (name) =>
      `  ${name}: not set, and its public demo value is refused here; set your own (${MIN_SECRET_LENGTH}+ characters)`,
  );
  // Spaces don't count: sixteen of them are no secret.
  const short = (name: string, value: string | undefined) =>
    value !== undefined && value.trim().length < MIN_SECRET_LENGTH && !publicDefaults.includes(name);
  if (short('WEBHOOK_SECRET', config.WEBHOOK_SECRET))
    problems.push(`  WEBHOOK_SECRET: shorter than ${MIN_SECRET_LENGTH} characters`);
  if (short('ADMIN_TOKEN', config.ADMIN_TOKEN))
    problems.push(`  ADMIN_TOKEN: shorter than ${MIN_SECRET_LENGTH} characters`);
  if (short('METRICS_TOKEN', config.METRICS_TOKEN))
    problems.push(`  METRICS_TOKEN: shorter than ${MIN_SECRET_LENGTH} characters`);
  if (!publicDefaults.includes('AGENT_TOKENS')) {
    for (const agent of config.AGENT_TOKENS) {
      if (agent.token.trim().length < MIN_SECRET_LENGTH)
        problems.push(
          `  AGENT_TOKENS: the token of agent "${agent.name}" is shorter than ${MIN_SECRET_LENGTH} characters`,
        );
    }
  }
  if (!problems.length) return;
  const why = isLoopback(config.HOST)
    ? `NODE_ENV=${config.NODE_ENV}`
    : `HOST=${config.HOST} (not a loopback address)`;
  throw new ConfigError(
    `refusing to start with ${why} until every secret is your own:\n${problems.join('\n')}`,
  );
}

function demoModeWarning(host: string, publicDefaults: readonly string[]): string {
  const which = `${publicDefaults.join(', ')} ${publicDefaults.length === 1 ? 'is its public demo value' : 'are their public demo values'}`;
  return `demo mode: ${which}, so xiaoer listens on ${host} (this machine) only; set WEBHOOK_SECRET, ADMIN_TOKEN and AGENT_TOKENS (${MIN_SECRET_LENGTH}+ characters each) before HOST=0.0.0.0 or NODE_ENV=production`;
}
