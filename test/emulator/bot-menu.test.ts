import { describe, expect, it } from 'vitest';
import { BotFailureError, TestEmulatorError, type TestEmulator } from '../../src/testing/index.js';
import { loadDefaultSeed, SeedError, validateSeed } from '../../src/emulator/seed.js';
import { seededUserIds } from '../../src/callback/seeded-ids.js';
import { FakeClock } from '../helpers/clock.js';
import { control, eventBots, seededApp as seeded, seedFor } from '../helpers/event-bots.js';

/**
 * The bot menu: a person presses an item of the app's seeded menu and the app gets
 * `application.bot.menu_v6`, parsed by the official SDK's EventDispatcher over the signed and
 * encrypted webhook and by its WSClient over the long connection; pressed through the control
 * API and through the testing library.
 */
const bots = eventBots();

type Got = any[];
const handlers = (got: Got, failing = false) => ({
  'application.bot.menu_v6': (data: any) => {
    got.push(data);
    if (failing) throw new Error('menu handler is down');
    return {};
  },
});

async function webhookBot(appId: string, opts: { failing?: boolean; edit?: (seed: any) => void } = {}): Promise<{ emu: TestEmulator; got: Got }> {
  const got: Got = [];
  // The emulator's time stands still (the press's timestamp is checked to the second).
  return { emu: await bots.webhookBot(handlers(got, opts.failing), { seed: seedFor(appId, opts.edit), now: () => clock.now() }), got };
}

const clock = new FakeClock(Date.UTC(2026, 5, 1, 9, 30, 15, 500));

const idsOf = (email: string) => seededUserIds(loadDefaultSeed().users!.find((u) => u.email === email)!);

/** The menu press as the SDK's typed handler gets it: the operator's name and ids, the key, when. */
function expectPress(data: any, e: TestEmulator, who: string, key: string, now: number) {
  expect(data).toMatchObject({
    event_type: 'application.bot.menu_v6',
    app_id: e.app().appId,
    event_key: key,
    operator: { operator_name: e.user(who).name, operator_id: idsOf(who) },
  });
  expect(data.timestamp).toBe(Math.floor(now / 1000));
}

describe('application.bot.menu_v6 to an EventDispatcher on a webhook', () => {
  it('pressed through the testing library and the control API, signed and encrypted', async () => {
    const { emu: e, got } = await webhookBot('cli_a1b2c3d4e5f60b01');
    const alice = e.user('alice@example.com');
    const deliveries = await alice.pressMenu('my_approvals');
    expect(deliveries).toMatchObject([{ kind: 'application.bot.menu_v6', transport: 'webhook', verdict: 'ok' }]);
    expect(got).toHaveLength(1);
    expectPress(got[0], e, 'alice@example.com', 'my_approvals', clock.now());
    // The emulator sent it encrypted: the log keeps the plaintext it encrypted.
    expect(e.deliveries({ category: 'event' }).at(-1)!.payload).toMatchObject({ header: { event_type: 'application.bot.menu_v6' }, event: { event_key: 'my_approvals' } });

    const bob = e.user('bob@example.com');
    const pressed = await control(e, 'POST', `/_emulator/users/${bob.openId}/menu`, { app_id: e.app().appId, event_key: 'new_leave' });
    expect(pressed.code).toBe(0);
    expect(pressed.data).toMatchObject({ event_key: 'new_leave', deliveries: [{ kind: 'application.bot.menu_v6', verdict: 'ok' }] });
    expect(got).toHaveLength(2);
    expectPress(got[1], e, 'bob@example.com', 'new_leave', clock.now());
  });

  it('a bot that fails the event rejects pressMenu with BotFailureError; the event is re-sent', async () => {
    const { emu: e, got } = await webhookBot('cli_a1b2c3d4e5f60b02', { failing: true });
    const err = await e.user('alice@example.com').pressMenu('help').catch((x) => x);
    expect(err).toBeInstanceOf(BotFailureError);
    expect(err.message).toContain('pressed "help" in the bot menu');
    expect(err.deliveries[0]).toMatchObject({ kind: 'application.bot.menu_v6', verdict: 'failed', retry_at: expect.any(String) });
    expect(got).toHaveLength(1);
  });
});

describe('application.bot.menu_v6 to a WSClient on the long connection', () => {
  it('pressed through the testing library and the control API', async () => {
    const got: Got = [];
    const emu = await bots.wsBot(handlers(got), { seed: seedFor('cli_a1b2c3d4e5f60b03'), now: () => clock.now() });
    const app = emu.app();
    expect(await emu.user('carol@example.com').pressMenu('help', { app: app.name })).toMatchObject([{ transport: 'long_connection', verdict: 'ok' }]);
    expectPress(got[0], emu, 'carol@example.com', 'help', clock.now());
    const alice = emu.user('alice@example.com');
    const r = await control(emu, 'POST', `/_emulator/users/${alice.openId}/menu`, { event_key: 'new_expense' });
    expect(r.data.deliveries).toMatchObject([{ transport: 'long_connection', verdict: 'ok' }]);
    expectPress(got[1], emu, 'alice@example.com', 'new_expense', clock.now());
  });
});

describe('the control routes of the bot menu', () => {
  it('GET /_emulator/apps/:app_id/menu answers the seeded menu; an app without one has an empty menu', async () => {
    const emu = await bots.emulator();
    const menu = await control(emu, 'GET', `/_emulator/apps/${emu.app().appId}/menu`);
    expect(menu.data.menu).toEqual(seeded.bot_menu);
    expect(menu.data.menu.map((i: any) => i.name)).toEqual(['My approvals', 'New request', 'Help']);
    expect((await control(emu, 'GET', `/_emulator/apps/${loadDefaultSeed().apps[1]!.app_id}/menu`)).data.menu).toEqual([]);
    expect((await control(emu, 'GET', '/_emulator/apps/cli_nope/menu')).status).toBe(404);
  });

  it('refuses an unknown key naming event_key, a parent item, a person outside the availability, and unknown people and apps', async () => {
    // Only Bob may use the bot.
    const emu = await bots.emulator({ seed: seedFor('cli_a1b2c3d4e5f60b04', (s) => (s.apps[0].availability = [idsOf('bob@example.com').open_id])) });
    const alice = emu.user('alice@example.com');
    const bob = emu.user('bob@example.com');
    const appId = emu.app().appId;
    const refused = await control(emu, 'POST', `/_emulator/users/${alice.openId}/menu`, { app_id: appId, event_key: 'help' });
    expect(refused).toMatchObject({ status: 403, code: 230013 });
    expect(refused.msg).toContain("Alice Zhang is outside Card Demo Bot's availability");
    await expect(alice.pressMenu('help')).rejects.toThrow(/outside Card Demo Bot's availability/);
    for (const key of ['nope', 'New request']) {
      const unknown = await control(emu, 'POST', `/_emulator/users/${bob.openId}/menu`, { app_id: appId, event_key: key });
      expect(unknown.status).toBe(400);
      expect(unknown.error.field_violations[0]).toMatchObject({ field: 'event_key' });
      expect(unknown.msg + JSON.stringify(unknown.error)).toContain('my_approvals, new_expense, new_leave, help');
    }
    const noMenu = await control(emu, 'POST', `/_emulator/users/${bob.openId}/menu`, { app_id: loadDefaultSeed().apps[1]!.app_id, event_key: 'help' });
    expect(JSON.stringify(noMenu)).toContain('has no bot menu');
    expect((await control(emu, 'POST', '/_emulator/users/ou_nobody/menu', { event_key: 'help' })).status).toBe(404);
    expect((await control(emu, 'POST', `/_emulator/users/${alice.openId}/menu`, { app_id: 'cli_nope', event_key: 'help' })).status).toBe(400);
    expect((await control(emu, 'POST', `/_emulator/users/${alice.openId}/menu`, { app_id: appId })).status).toBe(400);
    await expect(alice.pressMenu('help', { app: 'No Such Bot' })).rejects.toBeInstanceOf(TestEmulatorError);
    // The library knows the menu, as the client does: a key not in it is refused before anything is sent.
    await expect(bob.pressMenu('nope')).rejects.toThrow("Card Demo Bot's bot menu has no item with event_key \"nope\"; its keys: my_approvals, new_expense, new_leave, help");
    // Nothing was sent for a refused press.
    expect(emu.deliveries({ category: 'event' })).toEqual([]);
  });
});

describe("the seed's bot_menu", () => {
  const withMenu = (menu: unknown) => {
    const seed = loadDefaultSeed() as any;
    seed.apps[0].bot_menu = menu;
    return seed;
  };
  const refusal = (menu: unknown) => {
    try {
      validateSeed(withMenu(menu), 'seed.json');
    } catch (err) {
      expect(err).toBeInstanceOf(SeedError);
      return (err as Error).message;
    }
    return 'accepted';
  };

  it('is checked with the JSON path of the first thing wrong', () => {
    expect(refusal([{ name: 'A', event_key: 'a' }, { name: 'B', event_key: 'b' }, { name: 'C', event_key: 'c' }, { name: 'D', event_key: 'd' }])).toBe('seed.json: $.apps[0].bot_menu must be an array of 1 to 3 menu items');
    expect(refusal('menu')).toContain('$.apps[0].bot_menu must be an array');
    expect(refusal([{ name: 'A', event_key: 'x'.repeat(31) }])).toContain('$.apps[0].bot_menu[0].event_key must be a string of 1 to 30 characters');
    expect(refusal([{ name: 'A' }])).toContain('$.apps[0].bot_menu[0].event_key');
    expect(refusal([{ name: 'A', event_key: 'a' }, { name: 'B', children: [{ name: 'B1', event_key: 'a' }] }])).toContain('$.apps[0].bot_menu[1].children[0].event_key repeats "a"');
    expect(refusal([{ name: 'B', children: [{ name: 'B1', children: [{ name: 'x', event_key: 'x' }] }] }])).toContain('$.apps[0].bot_menu[0].children[0].children a menu has two levels');
    expect(refusal([{ name: 'B', event_key: 'b', children: [{ name: 'B1', event_key: 'x' }] }])).toContain('$.apps[0].bot_menu[0].event_key an item with children');
    expect(refusal([{ name: 'B', children: Array.from({ length: 6 }, (_, i) => ({ name: `c${i}`, event_key: `c${i}` })) }])).toContain('$.apps[0].bot_menu[0].children must be an array of 1 to 5 menu items');
    expect(refusal([{ name: '', event_key: 'a' }])).toContain('$.apps[0].bot_menu[0].name must be a non-empty string');
    expect(refusal([{ name: 'A', event_key: 'a', url: 'https://x' }])).toContain('$.apps[0].bot_menu[0].url is not a part of a menu item');
    expect(refusal([{ name: 'A', event_key: 'a' }])).toBe('accepted');
  });
});
