import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { pooledRandomBytes } from './random.js';

/**
 * The platform's callback cryptography (reference/feishu-api.md §6.2). Pure functions over
 * strings and bytes, so the same code signs replays, verifies recordings, and is tested
 * against the official vector.
 */

/** AES-256-CBC with key = sha256(encrypt_key), a random 16-byte IV prefixed, base64. */
/** The AES key of the last Encrypt Key used: a replay encrypts hundreds of bodies under one key. */
let lastKey: { encryptKey: string; key: Buffer } | null = null;

function aesKey(encryptKey: string): Buffer {
  if (lastKey?.encryptKey !== encryptKey) lastKey = { encryptKey, key: createHash('sha256').update(encryptKey, 'utf8').digest() };
  return lastKey.key;
}

export function encryptPayload(encryptKey: string, plaintext: string, iv: Buffer = pooledRandomBytes(16)): string {
  const key = aesKey(encryptKey);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function decryptPayload(encryptKey: string, encrypted: string): string {
  const key = aesKey(encryptKey);
  const raw = Buffer.from(encrypted, 'base64');
  if (raw.length < 32) throw new Error('the encrypted payload is too short to hold an IV and a block');
  const decipher = createDecipheriv('aes-256-cbc', key, raw.subarray(0, 16));
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
}

/** New callbacks and events: sha256(timestamp + nonce + encrypt_key, then the raw body bytes), hex. */
export function signV2(timestamp: string, nonce: string, encryptKey: string, body: string | Buffer): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey, 'utf8').update(body).digest('hex');
}

/** Legacy card callbacks: sha1(timestamp + nonce + verification_token + raw body), hex. */
export function signLegacy(timestamp: string, nonce: string, verificationToken: string, body: string | Buffer): string {
  return createHash('sha1').update(timestamp + nonce + verificationToken, 'utf8').update(body).digest('hex');
}

/** Lowercase, as Node's `req.headers` holds them; senders spell them for the wire (header-case.ts). */
export const SIGNATURE_HEADERS = {
  timestamp: 'x-lark-request-timestamp',
  nonce: 'x-lark-request-nonce',
  signature: 'x-lark-signature',
} as const;
