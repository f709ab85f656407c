import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createContext } from '../../src/context.js';
import { processIO } from '../../src/io.js';
import { FeishuClient } from '../../src/feishu/client.js';
import { clientFactory } from '../../src/feishu/client-factory.js';
import { Pacer } from '../../src/feishu/pacer.js';

/** The runner's factory: one client per run, made on first use, closed once by the runner. */
const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const contextWith = (env: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'card-factory-'));
  dirs.push(dir);
  return createContext({}, { ...processIO(), env: { CARD_CONFIG_DIR: dir, HOME: dir, ...env } });
};
const APP = { CARD_BASE_URL: 'http://127.0.0.1:9', CARD_APP_ID: 'cli_made_up', CARD_APP_SECRET: 'made-up-secret' };

describe('clientFactory', () => {
  it('builds no client until asked, then the same one for every call, with the first call\'s options; close closes it once', async () => {
    const factory = clientFactory(await contextWith(APP));
    const closed = vi.spyOn(FeishuClient.prototype, 'close');
    await factory.close();
    expect(closed).not.toHaveBeenCalled();
    const pacer = new Pacer(10, 100);
    const [a, b] = await Promise.all([factory.client({ pacer }), factory.client()]);
    expect(a).toBe(b);
    expect([a.appId, a.baseUrl]).toEqual(['cli_made_up', 'http://127.0.0.1:9']);
    await factory.close();
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('resolves credentials once, with the flags of the first call, and the client uses them', async () => {
    const factory = clientFactory(await contextWith(APP));
    const creds = await factory.credentials({ appId: 'cli_from_flag' });
    expect(creds.appId).toEqual({ value: 'cli_from_flag', source: expect.any(String) });
    expect(await factory.credentials()).toBe(creds);
    expect((await factory.client()).appId).toBe('cli_from_flag');
  });

  it('reports a client that cannot be built to the command, and the runner\'s close still succeeds', async () => {
    const factory = clientFactory(await contextWith({ CARD_BASE_URL: 'http://127.0.0.1:9' }));
    await expect(factory.client()).rejects.toMatchObject({ type: 'usage', message: 'no app id or app secret to authenticate with' });
    await expect(factory.close()).resolves.toBeUndefined();
  });
});
