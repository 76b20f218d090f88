import type { z } from 'zod';
import { AppError, ValidationError } from './errors.ts';

/** Checks input against its schema; a failure is a ValidationError (400) naming every bad field. */
export function validated<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = result.error.issues.map((i) => ({
      path: i.path.join('.') || '(body)',
      message: i.message,
    }));
    throw new ValidationError(
      `${what} is invalid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  return result.data;
}

export function parseJsonBody(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new AppError('INVALID_JSON', 'body is not valid JSON', { cause: err });
  }
}
