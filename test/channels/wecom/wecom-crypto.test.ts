import { describe, expect, it } from 'vitest';
import { createWeComCrypto } from '../../../src/channels/wecom/wecom-crypto.ts';
import { SignatureError, ValidationError } from '../../../src/shared/errors.ts';

// The sample values of WeCom's published callback crypto library (its Sample code, every language).
const sample = createWeComCrypto({
  token: 'QDG6eK',
  aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
});
const ECHOSTR = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
const MESSAGE =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

describe("WeCom's callback crypto, against WeCom's published sample", () => {
  it('verifies and decrypts the URL check', () => {
    expect(() =>
      sample.verify('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', '1409659589', '263014780', ECHOSTR),
    ).not.toThrow();
    expect(sample.decrypt(ECHOSTR)).toBe('1616140317555161061');
  });

  it('verifies and decrypts the message callback', () => {
    expect(() =>
      sample.verify('477715d11cdb4164915debcba66cb864d751f3e6', '1409659813', '1372623149', MESSAGE),
    ).not.toThrow();
    const xml = sample.decrypt(MESSAGE);
    expect(xml).toContain('<ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>');
    expect(xml).toContain('<Content><![CDATA[hello]]></Content>');
    expect(xml).toContain('<MsgId>4561255354251345929</MsgId>');
  });

  it('refuses a signature off by one character, or over other values', () => {
    expect(() =>
      sample.verify('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4', '1409659589', '263014780', ECHOSTR),
    ).toThrow(SignatureError);
    expect(() =>
      sample.verify('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', '1409659590', '263014780', ECHOSTR),
    ).toThrow(SignatureError);
  });

  it('encrypts what it decrypts, padded to 32-byte blocks, Chinese counted in bytes', () => {
    const text = '<xml><Content><![CDATA[这是一个中文测试 a test]]></Content></xml>';
    const encrypted = sample.encrypt(text);
    expect(Buffer.from(encrypted, 'base64').length % 32).toBe(0);
    expect(sample.decrypt(encrypted)).toBe(text);
  });

  it("refuses a ciphertext for another corp id, or that is not WeCom's", () => {
    const other = createWeComCrypto({
      token: 'QDG6eK',
      aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
      corpId: 'ww0000000000000000',
    });
    expect(() => other.decrypt(ECHOSTR)).toThrow(ValidationError);
    for (const bad of ['', 'bm90IGJsb2Nrcw==', Buffer.alloc(64, 1).toString('base64')])
      expect(() => sample.decrypt(bad)).toThrow(ValidationError);
  });
});
