import type { Keys } from '../shared/keys.ts';
import type { Logger } from '../shared/logger.ts';
import { redisScript } from '../shared/redis-helpers.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { REFUSED_KEPT, RefusedEntrySchema, type RefusedEntry, type RefusedLog } from './refused-log.ts';

/** The matched part is quoted up to this length: enough to see what was refused, not a whole message. */
const MATCH_MAX = 80;

// A bot message the guard refuses is tried twice (the immediate send, then the outbox worker, which
// gives up): the second try finds its messageId among the newest entries and adds nothing.
const push = redisScript(`
if ARGV[2] ~= '' then
  for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, 99)) do
    if string.find(entry, ARGV[2], 1, true) then return 0 end
  end
end
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
return 1`);

/**
 * What the outbound guard refused, for the shop to read: the rule, who, when, and the matched part
 * only, never the whole message (no more of anyone's text at rest than the refusal needs). A
 * capped list with no expiry: the newest REFUSED_KEPT entries.
 */
export function createRedisRefusedLog(
  redis: RedisClient,
  k: Pick<Keys, 'guardRefused'>,
  log: Logger,
): RefusedLog {
  return {
    async record(input) {
      const entry: RefusedEntry = {
        rule: input.rule,
        from: input.from,
        ...(input.agent ? { agent: input.agent } : {}),
        conversationId: input.conversationId,
        ...(input.messageId ? { messageId: input.messageId } : {}),
        at: input.at.toISOString(),
        match: input.match.slice(0, MATCH_MAX),
      };
      const mark = input.messageId ? JSON.stringify({ messageId: input.messageId }).slice(1, -1) : '';
      try {
        await push(redis, [k.guardRefused()], [JSON.stringify(entry), mark, REFUSED_KEPT]);
      } catch (err) {
        // The refusal stands either way: nothing was sent. Losing its record is the lesser harm.
        log.warn(
          { err: (err as Error).message, rule: input.rule, conversationId: input.conversationId },
          'refused message not recorded',
        );
      }
    },
    async recent(limit) {
      const raw = await redis.lrange(k.guardRefused(), 0, Math.max(0, limit - 1));
      return raw.flatMap((r) => {
        const parsed = RefusedEntrySchema.safeParse(JSON.parse(r));
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}
