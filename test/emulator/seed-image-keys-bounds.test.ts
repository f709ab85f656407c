import { describe, expect, it } from 'vitest';
import { SEED_LIMITS, SeedError, validateSeed } from '../../src/emulator/seed.js';

/** A seed is someone's file: its image_keys are bounded in count, and a bad one is named by its JSON path. */
const seed = (image_keys: unknown) => ({ apps: [{ app_id: 'cli_a1b2c3d4e5f60718', app_secret: 'made-up-secret' }], image_keys });

describe("a seed's image_keys", () => {
  it('holds at most SEED_LIMITS.image_keys, and says so at $.image_keys', () => {
    const keys = Array.from({ length: SEED_LIMITS.image_keys + 1 }, (_, i) => `img_v3_${i}`);
    expect(() => validateSeed(seed(keys), 'team.json')).toThrow(SeedError);
    expect(() => validateSeed(seed(keys), 'team.json')).toThrow(`team.json: $.image_keys holds ${keys.length} entries; at most ${SEED_LIMITS.image_keys}`);
    expect(() => validateSeed(seed(keys.slice(1)), 'team.json')).not.toThrow();
  });

  it('names the key that is not an image key by its index', () => {
    expect(() => validateSeed(seed(['img_v3_ok', 'file_v3_nope']), 'team.json')).toThrow('team.json: $.image_keys[1] must be an image key (img_…)');
    expect(() => validateSeed(seed('img_v3_ok'), 'team.json')).toThrow('team.json: $.image_keys must be an array');
  });
});
