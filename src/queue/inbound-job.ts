import { z } from 'zod';
import { ChannelIdSchema, InboundMessageSchema } from '../channels/message.ts';

/** A buyer message as queued: which channel it came from and when. */
export const InboundJobSchema = z.object({
  channel: ChannelIdSchema,
  message: InboundMessageSchema,
  receivedAt: z.string(),
  /**
   * Recorded in the conversation, not answered, and why: a person outside xiaoer has the
   * conversation (a WeCom servicer), or the message is older than xiaoer's connection to the channel.
   */
  quiet: z.string().optional(),
});

export type InboundJob = z.infer<typeof InboundJobSchema>;
