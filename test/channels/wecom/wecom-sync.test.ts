import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/channels/message.ts';
import { createRedisWeComState } from '../../../src/channels/wecom/redis-wecom-state.ts';
import type { SyncPage } from '../../../src/channels/wecom/wecom-api.ts';
import { createWeComSync } from '../../../src/channels/wecom/wecom-sync.ts';
import { ChannelSendError } from '../../../src/shared/errors.ts';
import { keys } from '../../../src/shared/keys.ts';
import { silentLogger } from '../../../src/shared/logger.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../../helpers/redis.ts';

const HOUR = 3600;
const text = (msgid: string, agoSeconds: number) => ({
  msgid,
  open_kfid: 'wk1',
  external_userid: 'wm1',
  send_time: Math.floor(Date.now() / 1000) - agoSeconds,
  origin: 3,
  msgtype: 'text',
  text: { content: '发什么快递' },
});

/** WeCom's sync_msg, played page by page: a page that is an Error is WeCom failing that call. */
function scriptedApi(pages: (SyncPage | Error)[]) {
  const calls: { cursor?: string; token?: string }[] = [];
  return {
    calls,
    syncMsg: async (body: { cursor?: string; token?: string }) => {
      calls.push({
        ...(body.cursor ? { cursor: body.cursor } : {}),
        ...(body.token ? { token: body.token } : {}),
      });
      const page = pages.shift();
      if (!page) return { next_cursor: body.cursor ?? '', has_more: 0, msg_list: [] };
      if (page instanceof Error) throw page;
      return page;
    },
  };
}

describe('pulling a WeCom account', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const p of prefixes) await deletePrefix(p);
    redis.disconnect();
  });
  const setup = (pages: (SyncPage | Error)[]) => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const accepted: { message: InboundMessage; quiet: string | undefined }[] = [];
    const api = scriptedApi(pages);
    const state = createRedisWeComState(redis, keys(prefix));
    const sync = createWeComSync({
      api,
      state,
      accept: async (message, quiet) => accepted.push({ message, quiet }),
      undelivered: async () => undefined,
      now: () => new Date(),
      log: silentLogger(),
    });
    return { sync, api, state, accepted };
  };

  it('keeps the old messages of a first pull quiet even when that pull is cut short and retried', async () => {
    const { sync, accepted } = setup([
      { next_cursor: 'c1', has_more: 1, msg_list: [text('old-1', 5 * HOUR)] },
      new ChannelSendError('WeCom sync_msg failed: errcode -1'),
      { next_cursor: 'c2', has_more: 0, msg_list: [text('old-2', 4 * HOUR), text('new', 10)] },
    ]);
    await expect(sync('wk1', undefined, undefined)).rejects.toThrow(ChannelSendError);
    expect(await sync('wk1', undefined, undefined)).toBe(2);
    expect(accepted.map((a) => [a.message.messageId, a.quiet !== undefined])).toEqual([
      ['old-1', true],
      ['old-2', true],
      ['new', false],
    ]);
  });

  it("moves the cursor only from where it found it: another pull's progress is never undone", async () => {
    const { state } = setup([]);
    expect(await state.saveCursor('wk1', undefined, 'c1')).toBe(true);
    expect(await state.saveCursor('wk1', undefined, 'c0')).toBe(false);
    expect(await state.saveCursor('wk1', 'c1', 'c2')).toBe(true);
    expect(await state.cursor('wk1')).toBe('c2');
  });

  it("sends the callback's token while it is good (10 minutes), and pulls without it after", async () => {
    const { sync, api } = setup([]);
    await sync('wk1', 'ENC-token', new Date(Date.now() - 60_000));
    await sync('wk1', 'ENC-token', new Date(Date.now() - 11 * 60_000));
    expect(api.calls.map((c) => c.token)).toEqual(['ENC-token', undefined]);
  });
});
