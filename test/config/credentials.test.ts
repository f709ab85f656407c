import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPayload } from '../../src/callback/crypto.js';
import { mask } from '../../src/config/credentials.js';
import { emulatorEnv, Sandbox } from '../helpers/cli.js';
import { emulatorForFile } from '../helpers/emulator.js';
import { readBody, serve } from '../helpers/handler.js';

const emu = emulatorForFile();
let trap: Awaited<ReturnType<typeof serve>>;
let trapped: string[] = [];

beforeAll(async () => {
  // Stands in for the wrong server an environment variable points at: it must hear nothing.
  trap = await serve(async (req, res) => {
    trapped.push(await readBody(req));
    res.setHeader('content-type', 'application/json');
    res.end('{"code":0,"tenant_access_token":"t-trap","expire":7200}');
  });
});
afterAll(async () => {
  await trap.close();
});

describe('mask', () => {
  it('shows at most 4 characters of a secret, and not its length', () => {
    for (const secret of ['abcdefghij', 'abcdefgh', 'abcdefghijklmnopqrstuvwxyz0123', 'abc']) {
      const shown = mask(secret).replace(/•/g, '');
      expect(shown.length).toBeLessThanOrEqual(4);
      expect(mask(secret)).not.toContain(secret.slice(0, 3));
    }
    expect(mask('abcdefghij')).toBe('••••ij');
  });
});

describe('a profile named with --profile', () => {
  it('is never mixed with the environment: its secret goes to its own base URL only', async () => {
    const sb = new Sandbox();
    try {
      const app = emu.app;
      await sb.run(['profile', 'add', 'prod', '--app-id', app.app_id, '--domain', emu.emu.url, '--app-secret-stdin'], { input: app.app_secret });
      trapped = [];
      const env = { CARD_BASE_URL: trap.url, CARD_APP_ID: 'cli_fromenv0000000', CARD_APP_SECRET: 'env-secret-value' };
      const r = await sb.run(['--profile', 'prod', 'token', '--json'], { env });
      expect(r.code).toBe(0);
      expect(r.json.data).toMatchObject({ base_url: emu.emu.url, app_id: app.app_id });
      expect(trapped).toEqual([]);
      const show = await sb.run(['--profile', 'prod', 'profile', 'show', '--json'], { env });
      expect(show.json.data).toMatchObject({
        app_id: { value: app.app_id, source: 'profile prod' },
        app_secret: { source: 'profile prod' },
        domain: { value: emu.emu.url, source: 'profile prod' },
      });
      // CARD_PROFILE names a profile just as deliberately.
      const viaEnv = await sb.run(['token', '--json'], { env: { ...env, CARD_PROFILE: 'prod' } });
      expect(viaEnv.json.data).toMatchObject({ base_url: emu.emu.url, app_id: app.app_id });
      expect(trapped).toEqual([]);
      // Without --profile, the environment wins over the active profile, as before.
      const active = await sb.run(['profile', 'show', '--json'], { env });
      expect(active.json.data.domain).toEqual({ value: trap.url, source: 'env CARD_BASE_URL' });
    } finally {
      sb.cleanup();
    }
  });

  it('without a stored domain means feishu, not CARD_BASE_URL', async () => {
    const sb = new Sandbox();
    try {
      await sb.run(['profile', 'add', 'p', '--app-id', 'cli_p000000000000', '--app-secret-stdin'], { input: 'p-secret-123456' });
      const show = await sb.run(['--profile', 'p', 'profile', 'show', '--json'], { env: { CARD_BASE_URL: trap.url } });
      expect(show.json.data.base_url).toBe('https://open.feishu.cn');
      expect(show.json.data.domain.source).toMatch(/^profile p/);
    } finally {
      sb.cleanup();
    }
  });

  it('--verbose says where each value came from, secrets masked', async () => {
    const sb = new Sandbox(emulatorEnv(emu.emu.url, emu.app));
    try {
      const r = await sb.run(['token', '--verbose']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/credentials: profile \(none\) · app_id \S+ \(env CARD_APP_ID\) · app_secret \S+ \(env CARD_APP_SECRET\) · domain \S+ \(env CARD_BASE_URL\)/);
      expect(r.stderr).not.toContain(emu.app.app_secret);
    } finally {
      sb.cleanup();
    }
  });
});

describe('the config directory', () => {
  it('is 0700 and its files 0600', async () => {
    const sb = new Sandbox(emulatorEnv(emu.emu.url, emu.app));
    try {
      await sb.run(['profile', 'add', 'x', '--app-id', 'cli_x000000000000', '--app-secret-stdin'], { input: 'x-secret-123456' });
      expect(statSync(sb.configDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(sb.configDir, 'config.json')).mode & 0o777).toBe(0o600);
      await sb.run(['--profile', 'x', 'profile', 'show']);
      const fresh = new Sandbox(emulatorEnv(emu.emu.url, emu.app));
      try {
        expect((await fresh.run(['token'])).code).toBe(0);
        expect(statSync(fresh.configDir).mode & 0o777).toBe(0o700);
        expect(statSync(join(fresh.configDir, 'token-cache.json')).mode & 0o777).toBe(0o600);
      } finally {
        fresh.cleanup();
      }
    } finally {
      sb.cleanup();
    }
  });
});

describe('Encrypt Key and Verification Token out of the process list', () => {
  it('profile add reads them from stdin, one per line', async () => {
    const sb = new Sandbox();
    try {
      const add = await sb.run(['profile', 'add', 'k', '--app-id', 'cli_k000000000000', '--app-secret-stdin', '--encrypt-key-stdin', '--verification-token-stdin'], {
        input: 'k-app-secret-1\nk-encrypt-key-1\nk-verify-token-1\n',
      });
      expect(add.code).toBe(0);
      const stored = JSON.parse(readFileSync(join(sb.configDir, 'config.json'), 'utf8')).profiles.k;
      expect(stored).toMatchObject({ app_secret: 'k-app-secret-1', encrypt_key: 'k-encrypt-key-1', verification_token: 'k-verify-token-1' });
      const short = await sb.run(['profile', 'add', 'k', '--encrypt-key-stdin', '--verification-token-stdin'], { input: 'only-one\n' });
      expect(short.code).toBe(2);
      expect(short.stderr).toContain('--encrypt-key-stdin, --verification-token-stdin: expected 2 non-empty lines on stdin, got 1');
    } finally {
      sb.cleanup();
    }
  });

  it('replay-callback takes the Encrypt Key from stdin', async () => {
    const sb = new Sandbox();
    let body = '';
    const handler = await serve(async (req, res) => {
      body = await readBody(req);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
    try {
      const r = await sb.run(['replay-callback', 'button', '--url', handler.url, '--encrypt-key-stdin', '--json'], { input: 'stdin-encrypt-key\n' });
      expect(r.code).toBe(0);
      expect(r.json.data.results[0].encrypted).toBe(true);
      const plain = JSON.parse(decryptPayload('stdin-encrypt-key', JSON.parse(body).encrypt));
      expect(plain.header.event_type).toBe('card.action.trigger');
    } finally {
      await handler.close();
      sb.cleanup();
    }
  });
});

describe('the token cache', () => {
  it('is keyed by the secret: a wrong secret fails instead of reusing the cached token, and the secret is not stored', async () => {
    const sb = new Sandbox(emulatorEnv(emu.emu.url, emu.app));
    try {
      expect((await sb.run(['token', '--json'])).json.data.source).toBe('fresh');
      expect((await sb.run(['token', '--json'])).json.data.source).toBe('cache');
      const wrong = await sb.run(['token', '--json'], { env: { CARD_APP_SECRET: 'not-the-secret-0' } });
      expect(wrong.code).toBe(3);
      const send = await sb.run(['send', '--to', emu.users[0]!.open_id, '--json', '-'], {
        env: { CARD_APP_SECRET: 'not-the-secret-0' },
        input: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x' }] } }),
      });
      expect(send.code).toBe(3);
      // As if the secret had been rotated since: the cached entry was fetched with another one.
      const cachePath = join(sb.configDir, 'token-cache.json');
      const cache = JSON.parse(readFileSync(cachePath, 'utf8'));
      for (const entry of Object.values<any>(cache.tokens)) entry.secret_hash = 'from-an-older-secret';
      writeFileSync(cachePath, JSON.stringify(cache));
      const rotated = await sb.run(['token']);
      expect(rotated.code).toBe(0);
      expect(rotated.stderr).toContain('fetched a new token: the app secret differs from the one the cached token was fetched with');
      const file = readFileSync(join(sb.configDir, 'token-cache.json'), 'utf8');
      expect(file).not.toContain(emu.app.app_secret);
      expect(file).toContain('secret_hash');
    } finally {
      sb.cleanup();
    }
  });
});
