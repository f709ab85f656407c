import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { emulatorEnv, Sandbox } from '../helpers/cli.js';

let emu: RunningEmulator;
let sb: Sandbox;
const APP = { app_id: 'cli_chattest000001', app_secret: 'chat-test-secret' };

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    seed: {
      apps: [APP, { app_id: 'cli_helperbot00001', app_secret: 'x' }],
      users: Array.from({ length: 60 }, (_, i) => ({ name: `User ${i}`, email: `u${i}@example.com`, mobile: `+86139000000${String(i).padStart(2, '0')}` })),
    },
  });
});
afterAll(async () => {
  await emu.close();
  sb?.cleanup();
});
beforeEach(() => {
  emu.reset();
  sb?.cleanup();
  sb = new Sandbox(emulatorEnv(emu.url, APP));
});

describe('card create-chat', () => {
  it('resolves owner and users, creates the chat, and prints its id', async () => {
    const r = await sb.run(['create-chat', '--name', 'card test', '--owner', '+8613900000000', '--users', 'u1@example.com,u2@example.com', '--bots', 'cli_helperbot00001']);
    expect(r.code).toBe(0);
    const chatId = r.stdout.trim();
    const chat = emu.state().chats.find((c) => c.chat_id === chatId)!;
    const ids = emu.state().users.map((u) => u.open_id);
    expect(chat.name).toBe('card test');
    expect(chat.members.sort()).toEqual([ids[0], ids[1], ids[2]].sort());
    expect(chat.bots.sort()).toEqual([APP.app_id, 'cli_helperbot00001']);
  });

  it('adds users beyond the 50 of the create call afterwards, and reports it', async () => {
    const users = Array.from({ length: 55 }, (_, i) => `u${i}@example.com`).join(',');
    const r = await sb.run(['create-chat', '--name', 'big', '--users', users, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.data).toMatchObject({ users: 55, added_after_create: 5, invalid_ids: [], not_existed_ids: [] });
    expect(emu.state().chats.find((c) => c.chat_id === r.json.data.chat_id)!.members).toHaveLength(55);
    expect(emu.requests().map((q) => q.path).filter((p) => p.includes('/chats'))).toEqual(['/open-apis/im/v1/chats', `/open-apis/im/v1/chats/${r.json.data.chat_id}/members`]);
  });

  it('creates nothing when a user is unknown', async () => {
    const r = await sb.run(['create-chat', '--name', 'x', '--users', 'u1@example.com,ghost@example.com']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ghost@example.com');
    expect(emu.state().chats).toHaveLength(0);
  });

  it('makes one chat per --uuid and owner', async () => {
    const a = await sb.run(['create-chat', '--name', 'x', '--owner', 'u0@example.com', '--uuid', 'k', '--json']);
    const b = await sb.run(['create-chat', '--name', 'x', '--owner', 'u0@example.com', '--uuid', 'k', '--json']);
    expect(b.json.data.chat_id).toBe(a.json.data.chat_id);
    expect(emu.state().chats).toHaveLength(1);
  });
});

describe('card profile', () => {
  it('adds, lists, shows with sources, switches and removes profiles; the file is 0600 and secrets stay masked', async () => {
    const bare = new Sandbox();
    try {
      const add = await bare.run(['profile', 'add', 'emu', '--app-id', APP.app_id, '--domain', emu.url, '--app-secret-stdin', '--verification-token', 'vt-123456789'], { input: `${APP.app_secret}\n` });
      expect(add.code).toBe(0);
      expect(statSync(join(bare.configDir, 'config.json')).mode & 0o777).toBe(0o600);
      await bare.run(['profile', 'add', 'prod', '--app-id', 'cli_prod0000000001', '--domain', 'lark', '--app-secret-stdin'], { input: 'prod-secret-value' });
      const list = await bare.run(['profile', 'list', '--json']);
      expect(list.json.data).toEqual({
        active: 'emu',
        profiles: [
          { name: 'emu', active: true, app_id: APP.app_id, domain: emu.url },
          { name: 'prod', active: false, app_id: 'cli_prod0000000001', domain: 'lark' },
        ],
      });
      // The active profile is used with no environment at all.
      const token = await bare.run(['token', '--json']);
      expect(token.json.data.base_url).toBe(emu.url);
      const show = await bare.run(['profile', 'show', '--json'], { env: { CARD_APP_ID: 'cli_fromenv' } });
      expect(show.json.data).toMatchObject({
        profile: 'emu',
        app_id: { value: 'cli_fromenv', source: 'env CARD_APP_ID' },
        app_secret: { source: 'profile emu' },
        domain: { value: emu.url, source: 'profile emu' },
        verification_token: { source: 'profile emu' },
      });
      expect(JSON.stringify(show.json)).not.toContain(APP.app_secret);
      expect(JSON.stringify(show.json)).not.toContain('vt-123456789');
      const other = await bare.run(['--profile', 'prod', 'profile', 'show', '--json']);
      expect(other.json.data.base_url).toBe('https://open.larksuite.com');
      await bare.run(['profile', 'use', 'prod']);
      expect((await bare.run(['profile', 'list', '--json'])).json.data.active).toBe('prod');
      await bare.run(['profile', 'remove', 'prod']);
      expect((await bare.run(['profile', 'list', '--json'])).json.data).toMatchObject({ active: null, profiles: [{ name: 'emu' }] });
      const missing = await bare.run(['--profile', 'nope', 'token']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('no profile named "nope"');
      expect(readFileSync(join(bare.configDir, 'config.json'), 'utf8')).toContain('"emu"');
    } finally {
      bare.cleanup();
    }
  });

  it('flags win over the environment, which wins over the profile', async () => {
    const r = await sb.run(['--app-id', 'cli_fromflag', 'profile', 'show', '--json']);
    expect(r.json.data.app_id).toEqual({ value: 'cli_fromflag', source: 'flag' });
    expect(r.json.data.app_secret.source).toBe('env CARD_APP_SECRET');
  });
});

describe('card demo', () => {
  it('runs the whole loop against an embedded emulator', async () => {
    const bare = new Sandbox();
    try {
      const human = await bare.run(['demo']);
      expect(human.code).toBe(0);
      for (const step of ['1. Get a tenant_access_token', '3. Create a test group', '5. Send a template card', '6. Update the first card']) expect(human.stdout).toContain(step);
      expect(human.stdout).toContain('**Applicant:** Alice Zhang');
      const json = await bare.run(['demo', '--json']);
      expect(json.json.data.steps).toHaveLength(6);
      expect(json.json.data.messages).toBe(2);
    } finally {
      bare.cleanup();
    }
  });
});
