/** AES-256-GCM for Slack installations at rest: a fresh IV per value, the row key bound in as associated data. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Format marker, so a later key rotation or algorithm change can tell old values apart. */
const VERSION = 'v1';
/** 96-bit IV, the size GCM is specified for (NIST SP 800-38D §5.2.1.1). */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface TokenCipher {
  /** `aad` ties the value to its row (e.g. `team:T123`), so a ciphertext copied to another row fails. */
  encrypt(plaintext: string, aad: string): string;
  decrypt(sealed: string, aad: string): string;
}

export function createTokenCipher(key: Buffer): TokenCipher {
  if (key.length !== 32) throw new RangeError('the token encryption key must be 32 bytes');
  return {
    encrypt(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(sealed, aad) {
      const [version, data] = sealed.split(':');
      if (version !== VERSION || !data) throw new Error('unknown token encryption format');
      const raw = Buffer.from(data, 'base64');
      const iv = raw.subarray(0, IV_BYTES);
      const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
