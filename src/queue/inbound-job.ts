import { z } from 'zod';
import { ChannelIdSchema, InboundMessageSchema } from '../channels/message.ts';

/** A buyer message as queued: which channel it came from and when. */
export const InboundJobSchema = z.object({
  channel: ChannelIdSchema,
  message: InboundMessageSchema,
  receivedAt: z.string(),
});

export type InboundJob = z.infer<typeof InboundJobSchema>;
