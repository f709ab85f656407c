import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/feishu/sha256.js';
import { newUuid } from '../../src/feishu/uuid.js';

describe('the hash and the uuid a scripted send uses without node:crypto', () => {
  it('sha256Hex equals node:crypto on empty, block-edge, multi-block and non-ASCII texts', () => {
    const texts = ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(119), 'card token cache\ncli_x\n秘密🔑', ...Array.from({ length: 200 }, (_, i) => randomBytes(i * 3).toString('base64'))];
    for (const t of texts) expect(sha256Hex(t), JSON.stringify(t.slice(0, 20))).toBe(createHash('sha256').update(t, 'utf8').digest('hex'));
  });

  it('newUuid is a version 4 UUID, and 10,000 of them are all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const u = newUuid();
      expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(u);
    }
    expect(seen.size).toBe(10_000);
  });
});
