import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../src/campaigns/load-campaigns.ts';
import { SAMPLE_CAMPAIGNS_DIR } from '../../src/config.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import {
  buyerMessage,
  FIXTURE_CATALOG,
  signedPost,
  sleep,
  waitFor,
  useTestService,
} from '../helpers/service.ts';

const sample = JSON.parse(readFileSync(join(SAMPLE_CAMPAIGNS_DIR, 'double11-2026.json'), 'utf8'));

function campaignsDir(...campaigns: object[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'campaigns-'));
  campaigns.forEach((c, i) => writeFileSync(join(dir, `c${i}.json`), JSON.stringify(c)));
  return dir;
}

describe('campaign files', () => {
  it('loads the sample Double 11 campaign', () => {
    expect(loadCampaigns(SAMPLE_CAMPAIGNS_DIR).map((c) => c.id)).toEqual(['double11-2026']);
  });

  it('refuses a file that is invalid, naming it, and overlapping windows', () => {
    expect(() => loadCampaigns(campaignsDir({ ...sample, to: sample.from }))).toThrow(
      /campaigns\/c0.json is invalid[\s\S]*"to" must be after "from"/,
    );
    expect(() => loadCampaigns(campaignsDir(sample, { ...sample, id: 'twin' }))).toThrow(ConfigError);
  });
});

describe('a sale switched on and off by its window', () => {
  const startsInMs = 4000;
  const { service, channel } = useTestService(() => {
    const now = Date.now();
    const live = {
      ...sample,
      id: 'live-sale',
      from: new Date(now + startsInMs).toISOString(),
      to: new Date(now + 3600_000).toISOString(),
    };
    return { CATALOG_FILE: FIXTURE_CATALOG, CAMPAIGNS_DIR: campaignsDir(live) };
  });

  async function ask(text: string): Promise<string> {
    const message = buyerMessage({ text, conversationId: `c-${randomUUID()}`, productId: 't-1' });
    await signedPost(`${service.url}/v1/channels/generic/messages`, message);
    const [reply] = await waitFor(() =>
      channel.to(message.conversationId).length ? channel.to(message.conversationId) : undefined,
    );
    return reply!.text;
  }

  it('answers normally before the sale, with the sale’s answers, greeting and promotions once it starts, with no restart', async () => {
    expect(await ask('什么时候发货')).toMatch(/付款后3天内发货/);
    expect(await ask('在吗')).not.toMatch(/双11/);
    await sleep(startsInMs + 200);
    expect(await ask('什么时候发货')).toMatch(/双11期间.*付款后5天内按付款顺序发货/);
    expect(await ask('在吗')).toMatch(/双11狂欢进行中/);
    expect(await ask('有优惠吗')).toMatch(/跨店每满300减40.*店铺券满199减20/);
  }, 30_000);
});
