import { createHash } from 'node:crypto';
import { z } from 'zod';

/** An id a channel or platform gives (message, conversation, buyer, order, event): 1–200 characters. */
export const IdSchema = z.string().trim().min(1).max(200);

/**
 * BullMQ job ids may not contain ":" and may not be purely numeric, and channel ids can be
 * anything, so job ids are a short hash of the channel id with a readable kind prefix.
 */
export function jobIdFor(kind: string, ...parts: string[]): string {
  const hash = createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
  return `${kind}-${hash}`;
}
