import { describe, expect, it } from 'vitest';
import { findChromium } from '../../src/card/render/chromium.js';

const none = { env: { PATH: '' }, exists: () => false, bundled: async () => null };

describe('no browser to screenshot with', () => {
  it('on Linux x64 without the optional package says that package is missing and how to get it', async () => {
    const err = await findChromium({ ...none, platform: 'linux', arch: 'x64' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 2, code: 'chromium_not_installed', message: expect.stringContaining('@sparticuz/chromium') });
    expect((err as Error).message).toContain('is not installed');
    expect((err as { hint: string }).hint).toMatch(/npm install @sparticuz\/chromium.*--omit=optional.*CARD_CHROMIUM/);
    expect(`${(err as Error).message} ${(err as { hint: string }).hint}`).not.toContain('only for Linux');
  });

  it('on Linux arm64 says the same', async () => {
    await expect(findChromium({ ...none, platform: 'linux', arch: 'arm64' })).rejects.toMatchObject({ code: 'chromium_not_installed' });
  });

  it('elsewhere says card ships one only for Linux x64 and arm64, and names the platform', async () => {
    for (const [platform, arch] of [['darwin', 'arm64'], ['linux', 'ia32'], ['win32', 'x64']] as const) {
      const err = await findChromium({ ...none, platform, arch }).catch((e: unknown) => e);
      expect((err as Error).message).toContain(`${platform} ${arch}`);
      expect((err as { hint: string }).hint).toContain('only for Linux x64 and arm64');
      expect((err as { hint: string }).hint).toContain('CARD_CHROMIUM');
    }
  });
});
