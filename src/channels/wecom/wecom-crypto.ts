import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignatureError, ValidationError } from '../../shared/errors.ts';

/** WeCom pads to 32-byte blocks (PKCS#7 with a 32-byte block), not AES's own 16. */
const BLOCK = 32;

/**
 * WeCom's callback crypto (企业微信 "加解密方案"): a SHA-1 signature over the sorted token,
 * timestamp, nonce and ciphertext; AES-256-CBC with the key from the 43-character EncodingAESKey
 * and its first 16 bytes as IV; the plaintext is 16 random bytes, the message's length (4 bytes,
 * big-endian), the message, and the corp id it is for.
 */
export interface WeComCrypto {
  /** Throws SignatureError unless `signature` is the token's over these values. */
  verify(signature: string, timestamp: string, nonce: string, encrypted: string): void;
  sign(timestamp: string, nonce: string, encrypted: string): string;
  /** The message inside; throws ValidationError for a ciphertext that is not one for this corp. */
  decrypt(encrypted: string): string;
  encrypt(message: string, random?: Buffer): string;
}

export function createWeComCrypto(options: { token: string; aesKey: string; corpId: string }): WeComCrypto {
  const key = Buffer.from(`${options.aesKey}=`, 'base64');
  if (options.aesKey.length !== 43 || key.length !== 32)
    throw new Error('the EncodingAESKey is 43 characters of base64 (32 bytes)');
  const iv = key.subarray(0, 16);
  const sign = (timestamp: string, nonce: string, encrypted: string) =>
    createHash('sha1').update([options.token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
  return {
    sign,
    verify(signature, timestamp, nonce, encrypted) {
      const expected = Buffer.from(sign(timestamp, nonce, encrypted));
      const given = Buffer.from(signature.toLowerCase());
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new SignatureError('msg_signature is not the WeCom token’s signature of the request');
    },
    decrypt(encrypted) {
      const unreadable = () => new ValidationError('the WeCom callback does not decrypt with WECOM_AES_KEY');
      let padded: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
        padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
      } catch {
        throw unreadable(); // not a whole number of blocks: not WeCom's
      }
      const pad = padded.at(-1) ?? 0;
      if (pad < 1 || pad > BLOCK || padded.length < 20 + pad) throw unreadable();
      const plain = padded.subarray(0, padded.length - pad);
      const length = plain.readUInt32BE(16);
      if (20 + length > plain.length) throw unreadable();
      const corpId = plain.subarray(20 + length).toString('utf8');
      if (corpId !== options.corpId) throw unreadable();
      return plain.subarray(20, 20 + length).toString('utf8');
    },
    encrypt(message, random = randomBytes(16)) {
      const body = Buffer.from(message, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.length);
      const plain = Buffer.concat([random, length, body, Buffer.from(options.corpId, 'utf8')]);
      const pad = BLOCK - (plain.length % BLOCK);
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      return Buffer.concat([
        cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
        cipher.final(),
      ]).toString('base64');
    },
  };
}
