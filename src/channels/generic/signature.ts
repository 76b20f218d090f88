import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureError } from '../../shared/errors.ts';

export const TIMESTAMP_HEADER = 'x-xiaoer-timestamp';
export const SIGNATURE_HEADER = 'x-xiaoer-signature';
export const MAX_SKEW_SECONDS = 300;

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, as the contract says. */
export function sign(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

export function signedHeaders(secret: string, rawBody: string, nowMs = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: sign(secret, timestamp, rawBody) };
}

/** Throws SignatureError unless the raw bytes carry a fresh, valid signature. */
export function verifySignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
  nowMs = Date.now(),
): void {
  const timestamp = single(headers[TIMESTAMP_HEADER]);
  const signature = single(headers[SIGNATURE_HEADER]);
  if (!timestamp || !signature)
    throw new SignatureError(`missing ${TIMESTAMP_HEADER} or ${SIGNATURE_HEADER} header`);
  if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureError(`${TIMESTAMP_HEADER} must be unix seconds`);
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
    throw new SignatureError(`${TIMESTAMP_HEADER} is more than ${MAX_SKEW_SECONDS} s from now`);
  }
  const expected = Buffer.from(sign(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SignatureError('signature does not match the body');
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
