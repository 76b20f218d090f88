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
    const pairs = raw.split(',').map((p) => p.trim()).filter(Boolean);
    const agents = pairs.map((pair) => {
      const at = pair.indexOf(':');
      return at <= 0 ? { name: '', token: '' } : { name: pair.slice(0, at), token: pair.slice(at + 1) };
    });
    if (agents.length === 0 || agents.some((a) => !a.name || a.token.length < 4)) {
      ctx.addIssue({ code: 'custom', message: 'expected name:token pairs, comma-separated, tokens of 4+ characters' });
      return z.NEVER;
    }
    return agents;
  });

const redisNodes = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const nodes = raw.split(',').map((n) => n.trim()).filter(Boolean);
    if (nodes.length === 0 || !nodes.every(isRedisNode)) {
      ctx.addIssue({ code: 'custom', message: 'expected host:port or redis://host:port nodes, comma-separated' });
      return z.NEVER;
    }
    return nodes;
  });

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Ours: a Redis Cluster's seed nodes, `host:port` or `redis://[:password@]host:port`, comma-separated. */
  REDIS_CLUSTER_NODES: redisNodes,
  /** Ours: Redis Sentinels (same form) and the name of the primary they watch. */
  REDIS_SENTINELS: redisNodes,
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/).default('mymaster'),
  /** Ours: the Sentinels' own password (requirepass in sentinel.conf), when they have one. */
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_{}.-]{1,100}$/, 'letters, digits and _ - . { } only (no spaces or colons)').default('xiaoer'),
  WEBHOOK_SECRET: z.string().min(1).default('dev-secret'),
  CHANNEL_SEND_URL: z.url({ protocol: /^https?$/ }).optional(),
  CATALOG_FILE: z.string().min(1).default(SAMPLE_CATALOG_FILE),
  CAMPAIGNS_DIR: z.string().min(1).default(SAMPLE_CAMPAIGNS_DIR),
  SHOP_TZ: timeZone.default('Asia/Shanghai'),
  REMINDER_AT: timeOfDay('15:30'),
  SHIP_CUTOFF: timeOfDay('16:00'),
  REMINDER_MIN_DELAY: z.coerce.number().int().min(0).max(24 * 60).default(30),
  QUIET_HOURS: quietHours,
  AGENT_TOKENS: agentTokens,
  ADMIN_TOKEN: z.string().min(1).default('admin-token'),
  // Ours, beyond the contract:
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /** With ROLE=all: run the workers in this many processes of their own (0: in this one). */
  WORKER_PROCESSES: z.coerce.number().int().min(0).max(64).default(0),
  /**
   * With ROLE=all: run the workers in this many threads of this process, HTTP on the main thread
   * (0: all on one event loop). Unset: 1 with ROLE=all and no WORKER_PROCESSES, else 0.
   */
  WORKER_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HISTORY_TTL_HOURS: z.coerce.number().int().min(1).default(24 * 30),
  // A message mostly waits on Redis and the channel: with 16 at a time a 2-core machine topped out
  // near 1,000 msg/s (each took 15 ms to answer, mostly round trips); 64 keep the process busy.
  INBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
  OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  OUTBOX_ATTEMPTS: z.coerce.number().int().min(1).max(10_000).default(160),
  OUTBOX_BACKOFF_MS: z.coerce.number().int().min(1).default(2_000),
  OUTBOX_BACKOFF_MAX_MS: z.coerce.number().int().min(1).default(10 * 60_000),
  CHANNEL_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  UNPAID_CLOSE_MINUTES: z.coerce.number().int().min(1).default(24 * 60),
  ORDER_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  WAREHOUSE_REPLY_HOURS: z.coerce.number().min(0.25).max(72).default(4),
  WORK_HOURS: z
    .string()
    .regex(/^(([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00))(,([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00))*$/, 'expected HH:MM-HH:MM windows, comma-separated')
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
    .regex(/^(bot-first|people-first|split:(0(\.\d+)?|1(\.0+)?))$/, 'expected bot-first, people-first or split:<share to people, 0–1>')
    .default('bot-first'),
  FLOOD_PER_MINUTE: z.coerce.number().int().min(1).default(12),
  // Above what one process can accept (~4,000/s): a channel posting from one address is never throttled by it.
  IP_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600_000),
  CHAT_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  SHOP_DOMAINS: z.string().default('').transform((s) => s.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean)),
}).refine((env) => [env.REDIS_URL, env.REDIS_CLUSTER_NODES, env.REDIS_SENTINELS].filter(Boolean).length <= 1, {
  path: ['REDIS_URL'],
  message: 'set one of REDIS_URL (one Redis), REDIS_CLUSTER_NODES (a cluster) or REDIS_SENTINELS (Sentinel), not several',
}).refine((env) => !env.REDIS_SENTINEL_PASSWORD || env.REDIS_SENTINELS, {
  path: ['REDIS_SENTINEL_PASSWORD'],
  message: 'is the Sentinels\' password: set REDIS_SENTINELS too',
}).refine((env) => env.WORKER_PROCESSES === 0 || env.ROLE === 'all', {
  path: ['WORKER_PROCESSES'],
  message: 'worker processes are started by a ROLE=all process only; with ROLE=web or ROLE=worker, start the processes yourself',
}).refine((env) => !env.WORKER_THREADS || env.ROLE === 'all', {
  path: ['WORKER_THREADS'],
  message: 'worker threads are started by a ROLE=all process only; with ROLE=web or ROLE=worker, start a ROLE=worker process yourself',
}).refine((env) => !env.WORKER_THREADS || env.WORKER_PROCESSES === 0, {
  path: ['WORKER_THREADS'],
  message: 'set WORKER_PROCESSES or WORKER_THREADS, not both',
}).transform((env) => ({ ...env, WORKER_THREADS: env.WORKER_THREADS ?? (env.ROLE === 'all' && env.WORKER_PROCESSES === 0 ? 1 : 0) }));

function isRedisNode(node: string): boolean {
  try {
    const url = new URL(node.includes('://') ? node : `redis://${node}`);
    return /^rediss?:$/.test(url.protocol) && url.hostname !== '' && url.port !== '' && url.pathname.replace('/', '') === '';
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
  return Object.freeze({ ...result.data, warnings: defaultsInUse(present) });
}

function defaultsInUse(env: Record<string, string | undefined>): string[] {
  const warnings: string[] = [];
  if (!env.WEBHOOK_SECRET) warnings.push('WEBHOOK_SECRET is the public default "dev-secret": set your own before connecting a channel');
  if (!env.AGENT_TOKENS) warnings.push('AGENT_TOKENS is the demo default: set name:token pairs for your agents');
  if (!env.ADMIN_TOKEN) warnings.push('ADMIN_TOKEN is the public default "admin-token": set your own');
  return warnings;
}
