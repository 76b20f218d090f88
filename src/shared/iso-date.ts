import { z } from 'zod';

/** ISO-8601 with or without an offset (without one, it is read as UTC). */
export const IsoDateSchema = z.iso
  .datetime({ offset: true, local: true })
  .transform((t) => (/(Z|[+-]\d\d:?\d\d)$/i.test(t) ? t : `${t}Z`));
