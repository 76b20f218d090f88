import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { keys } from '../src/shared/keys.ts';
import { configuredTarget, createProducerConnection, waitUntilReady } from '../src/boot/redis-connection.ts';
import { estimateStaffing, measuredDays } from '../src/stats/estimate-staffing.ts';
import { createRedisStatsStore } from '../src/stats/redis-stats-store.ts';

/**
 * `npm run staffing -- --uv 200000 --consult-rate 0.08`: agents needed per shift for a sale day.
 * The bot's share comes from --auto-rate, else from this shop's measured stats in Redis, else 0.
 */
const { values } = parseArgs({
  options: {
    uv: { type: 'string' },
    'consult-rate': { type: 'string' },
    'auto-rate': { type: 'string' },
    'per-agent': { type: 'string', default: '300' },
    'day-share': { type: 'string', default: '0.7' },
  },
});
const number = (name: string, value: string | undefined, max = Infinity) => {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < 0 || n > max) {
    process.stderr.write(
      `staffing: --${name} needs a number${max === 1 ? ' from 0 to 1' : ''}\nusage: npm run staffing -- --uv 200000 --consult-rate 0.08 [--auto-rate 0.6] [--per-agent 300] [--day-share 0.7]\n`,
    );
    process.exit(2);
  }
  return n;
};
const uv = number('uv', values.uv);
const consultRate = number('consult-rate', values['consult-rate'], 1);

let autoRate: number;
let source: string;
if (values['auto-rate'] !== undefined) {
  autoRate = number('auto-rate', values['auto-rate'], 1);
  source = 'given with --auto-rate';
} else {
  const config = loadConfig();
  const redis = createProducerConnection(configuredTarget(config), 'staffing');
  redis.on('error', () => undefined); // no Redis: the estimate falls back to "people answer everything"
  const measured = await waitUntilReady(redis, 1_000)
    .then(() =>
      // The last 30 days in the shop's time zone.
      createRedisStatsStore(redis, keys(config.KEY_PREFIX), config.SHOP_TZ).summary(
        measuredDays(new Date(), config.SHOP_TZ),
        new Date(),
      ),
    )
    .catch(() => undefined);
  redis.disconnect();
  autoRate = measured?.autoResolutionRate ?? 0;
  source =
    measured?.autoResolutionRate != null
      ? `measured over ${measured.conversations} conversations (KEY_PREFIX ${config.KEY_PREFIX})`
      : 'no stats yet: people answer everything';
}

const e = estimateStaffing({
  uv,
  consultRate,
  autoResolutionRate: autoRate,
  perAgentPerDay: number('per-agent', values['per-agent']),
  dayShare: number('day-share', values['day-share'], 1),
  dayShiftHours: 9,
  nightShiftHours: 5,
});
process.stdout.write(
  [
    `consultations expected: ${e.consultations} (${uv} UV × ${consultRate})`,
    `answered by the bot:    ${e.byBot} (auto-resolution ${Math.round(autoRate * 1000) / 10} %, ${source})`,
    `left for people:        ${e.forPeople}`,
    `day shift 09:00–18:00:  ${e.dayShiftAgents} agents`,
    `night shift 19:00–24:00: ${e.nightShiftAgents} agents`,
  ].join('\n') + '\n',
);
