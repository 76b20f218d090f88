import { describe, expect, it } from 'vitest';
import {
  SIGNATURE_HEADER,
  sign,
  signedHeaders,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../../../src/channels/generic/signature.ts';
import { SignatureError } from '../../../src/shared/errors.ts';

const SECRET = 'test-secret';
const BODY = '{"messageId":"m1","text":"在吗"}';
const NOW_MS = 1_750_000_000_000;
const NOW_S = NOW_MS / 1000;

const verify = (
  headers: Record<string, string | string[] | undefined>,
  body = BODY,
  nowMs = NOW_MS,
  secret = SECRET,
) => verifySignature(secret, headers, Buffer.from(body), nowMs);

describe('verifySignature', () => {
  it('accepts a valid signature', () => {
    expect(() => verify(signedHeaders(SECRET, BODY, NOW_MS))).not.toThrow();
  });

  it('matches the contract format sha256=<hex HMAC of "timestamp.body">', () => {
    expect(sign(SECRET, '1', 'x')).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('accepts header values given as arrays', () => {
    const headers = signedHeaders(SECRET, BODY, NOW_MS);
    expect(() =>
      verify({
        [TIMESTAMP_HEADER]: [headers[TIMESTAMP_HEADER]!],
        [SIGNATURE_HEADER]: [headers[SIGNATURE_HEADER]!],
      }),
    ).not.toThrow();
  });

  it('rejects a changed body', () => {
    expect(() => verify(signedHeaders(SECRET, BODY, NOW_MS), BODY.replace('在吗', '在吗?'))).toThrow(
      SignatureError,
    );
  });

  it('rejects a signature made with another secret', () => {
    expect(() => verify(signedHeaders('other-secret', BODY, NOW_MS))).toThrow(SignatureError);
  });

  it('rejects a missing signature header', () => {
    expect(() => verify({ [TIMESTAMP_HEADER]: String(NOW_S) })).toThrow(SignatureError);
  });

  it('rejects a missing timestamp header', () => {
    const headers = signedHeaders(SECRET, BODY, NOW_MS);
    expect(() => verify({ [SIGNATURE_HEADER]: headers[SIGNATURE_HEADER] })).toThrow(SignatureError);
  });

  it('rejects a non-numeric timestamp even when signed', () => {
    const timestamp = 'yesterday';
    expect(() =>
      verify({ [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: sign(SECRET, timestamp, BODY) }),
    ).toThrow(SignatureError);
  });

  it('rejects a truncated signature', () => {
    const headers = signedHeaders(SECRET, BODY, NOW_MS);
    expect(() => verify({ ...headers, [SIGNATURE_HEADER]: headers[SIGNATURE_HEADER]!.slice(0, -1) })).toThrow(
      SignatureError,
    );
  });

  it('rejects a timestamp 301 s in the past', () => {
    expect(() => verify(signedHeaders(SECRET, BODY, NOW_MS - 301_000))).toThrow(SignatureError);
  });

  it('rejects a timestamp 301 s in the future', () => {
    expect(() => verify(signedHeaders(SECRET, BODY, NOW_MS + 301_000))).toThrow(SignatureError);
  });

  it('accepts a timestamp 299 s in the past or future', () => {
    expect(() => verify(signedHeaders(SECRET, BODY, NOW_MS - 299_000))).not.toThrow();
    expect(() => verify(signedHeaders(SECRET, BODY, NOW_MS + 299_000))).not.toThrow();
  });
});
