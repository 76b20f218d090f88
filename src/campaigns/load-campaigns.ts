import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../shared/errors.ts';
import { CampaignSchema, type Campaign } from './campaign-schema.ts';

export const CAMPAIGNS_DIR = fileURLToPath(new URL('../../campaigns/', import.meta.url));

/** campaigns/*.json, validated at start; overlapping windows are refused (which sale would answer?). */
export function loadCampaigns(dir = CAMPAIGNS_DIR): Campaign[] {
  if (!existsSync(dir)) return [];
  const campaigns = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      } catch (err) {
        throw new ConfigError(`campaigns/${file} is not valid JSON: ${(err as Error).message}`, {
          cause: err,
        });
      }
      const parsed = CampaignSchema.safeParse(raw);
      if (!parsed.success)
        throw new ConfigError(`campaigns/${file} is invalid:\n${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
  const sorted = [...campaigns].sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
  for (let i = 1; i < sorted.length; i++) {
    if (Date.parse(sorted[i]!.from) < Date.parse(sorted[i - 1]!.to))
      throw new ConfigError(`campaigns ${sorted[i - 1]!.id} and ${sorted[i]!.id} overlap`);
  }
  return campaigns;
}

export function activeCampaign(campaigns: readonly Campaign[], now: Date): Campaign | undefined {
  const t = now.getTime();
  return campaigns.find((c) => Date.parse(c.from) <= t && t < Date.parse(c.to));
}
