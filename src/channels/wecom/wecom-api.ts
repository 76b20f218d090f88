import { ChannelRefusedError, ChannelSendError } from '../../shared/errors.ts';
import { createJsonPoster, type JsonAnswer } from '../post-json.ts';
import type { WeComState } from './redis-wecom-state.ts';

/** WeCom answers HTTP 200 with an errcode: 0 is done, -1 busy (try again). */
const BUSY = -1;
/** The access token is invalid or expired: fetch a new one, once. */
const TOKEN_GONE = new Set([40014, 42001]);
/** service_state 2: waiting in the queue of the account's servicers (待接入池排队中). */
const TO_SERVICERS = 2;

interface WeComAnswer {
  errcode?: number;
  errmsg?: string;
}

export interface SyncPage {
  next_cursor?: string;
  has_more?: number;
  msg_list?: unknown[];
}

export interface WeComApi {
  syncMsg(body: { cursor?: string; token?: string; open_kfid: string; limit: number }): Promise<SyncPage>;
  /** Resolves when WeCom took the message; throws ChannelSendError (retry) or ChannelRefusedError (errcode). */
  sendMsg(body: object, timeoutMs: number): Promise<void>;
  /** Puts the buyer's session in the queue of the account's WeCom servicers (service_state 2, 待接入池). */
  toServicers(openKfId: string, externalUserId: string, timeoutMs: number): Promise<void>;
}

/**
 * WeCom's server API (qyapi): the access token is fetched with the corp id and the secret of the
 * app allowed to use customer service, kept in Redis for every instance until it expires, and
 * fetched again once when WeCom says it is invalid (40014) or expired (42001).
 */
export function createWeComApi(options: {
  apiBase: string;
  corpId: string;
  secret: string;
  state: Pick<WeComState, 'accessToken' | 'dropAccessToken'>;
  timeoutMs: number;
}): WeComApi {
  const post = createJsonPoster(options.apiBase, 'WeCom');
  const fetchToken = async () => {
    const query = `corpid=${encodeURIComponent(options.corpId)}&corpsecret=${encodeURIComponent(options.secret)}`;
    const answer = await post(`cgi-bin/gettoken?${query}`, undefined, { timeoutMs: options.timeoutMs });
    const json = (answer.json ?? {}) as WeComAnswer & { access_token?: string; expires_in?: number };
    if (answer.status !== 200 || json.errcode !== 0 || !json.access_token)
      throw new ChannelSendError(`WeCom gave no access token: ${describe(answer)}`);
    return { token: json.access_token, expiresInSeconds: json.expires_in ?? 7200 };
  };

  /** One API call with the shared token; a token WeCom calls invalid or expired is replaced once. */
  async function call(path: string, body: object, timeoutMs: number): Promise<JsonAnswer> {
    for (let attempt = 0; ; attempt++) {
      const token = await options.state.accessToken(fetchToken);
      const answer = await post(`${path}?access_token=${encodeURIComponent(token)}`, body, { timeoutMs });
      const code = (answer.json as WeComAnswer | undefined)?.errcode;
      if (attempt > 0 || code === undefined || !TOKEN_GONE.has(code)) return answer;
      await options.state.dropAccessToken(token);
    }
  }

  return {
    async syncMsg(body) {
      const answer = await call('cgi-bin/kf/sync_msg', body, options.timeoutMs);
      const json = answer.json as (WeComAnswer & SyncPage) | undefined;
      if (answer.status !== 200 || json?.errcode !== 0)
        throw new ChannelSendError(`WeCom sync_msg failed: ${describe(answer)}`);
      return json;
    },
    sendMsg: (body, timeoutMs) => done('send_msg', call('cgi-bin/kf/send_msg', body, timeoutMs)),
    toServicers: (openKfId, externalUserId, timeoutMs) =>
      done(
        'service_state/trans',
        call(
          'cgi-bin/kf/service_state/trans',
          { open_kfid: openKfId, external_userid: externalUserId, service_state: TO_SERVICERS },
          timeoutMs,
        ),
      ),
  };
}

/** WeCom refused a message with a non-zero errcode: not retried, listed with it. */
export class WeComRefusedError extends ChannelRefusedError {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeCom errcode ${errcode}${errmsg ? `: ${errmsg}` : ''}`);
  }
}

/** A call that changes something: errcode 0 is done, busy is retried, any other errcode refuses it for good. */
async function done(api: string, call: Promise<JsonAnswer>): Promise<void> {
  const answer = await call;
  const code = (answer.json as WeComAnswer | undefined)?.errcode;
  if (answer.status === 200 && code === 0) return;
  if (answer.status !== 200 || code === undefined || code === BUSY || TOKEN_GONE.has(code))
    throw new ChannelSendError(`WeCom ${api}: ${describe(answer)}`);
  throw new WeComRefusedError(code, (answer.json as WeComAnswer).errmsg ?? '');
}

function describe(answer: JsonAnswer): string {
  const json = answer.json as WeComAnswer | undefined;
  return json?.errcode !== undefined
    ? `errcode ${json.errcode}${json.errmsg ? ` (${json.errmsg})` : ''}`
    : `HTTP ${answer.status}`;
}
