import { afterEach, describe, expect, it } from 'vitest';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { recordedTest } from '../../src/testing/record-codegen.js';
import { cardAsText, startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';
import { stripTypes, syntaxErrors } from '../helpers/typescript.js';

/**
 * "Record a test" with a bot-menu press and pasted links: each is a step of its own, and the
 * generated test does them again with pressMenu and pasteLink, expecting the previews seen then.
 * The generated test's body is run against a fresh emulator and the same bot, and passes; against
 * a bot that previews the link differently it fails.
 */
const seeded = loadDefaultSeed().apps[0]!;
const seedFor = (appId: string) => JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seeded.app_id, appId));
const HOSTILE = 'Pay "now" */ ${x} `t`';

let emu: TestEmulator | undefined;
const bots: WsBot[] = [];
const others: TestEmulator[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) b.close();
  for (const o of others.splice(0)) await o.close();
  await emu?.close();
  emu = undefined;
});

/** A bot over the long connection that takes menu presses and previews links with `title(url)`. */
async function withBot(appId: string, title: (url: string) => string): Promise<{ emu: TestEmulator; pressed: string[] }> {
  const pressed: string[] = [];
  const e = await startEmulator({ seed: seedFor(appId), longConnection: true, rateLimits: false });
  others.push(e);
  const app = e.app();
  bots.push(await startWsBot(e.url, { app_id: app.appId, app_secret: app.appSecret }, {
    'application.bot.menu_v6': (d: any) => {
      pressed.push(d.event_key);
      return {};
    },
    'url.preview.get': (d: any) => ({ inline: { title: title(d.context.url) } }),
    'im.message.receive_v1': () => ({}),
  }));
  return { emu: e, pressed };
}

async function control(e: TestEmulator, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${e.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = (await res.json()) as { code: number; data: any };
  expect(answer.code, JSON.stringify(answer)).toBe(0);
  return answer.data;
}

/** The generated test's body, run as the test would run it. */
async function runBody(code: string, e: TestEmulator): Promise<void> {
  const js = stripTypes(code);
  const open = js.indexOf('async () => {', js.indexOf('\ntest(')) + 'async () => {'.length;
  const body = js.slice(open, js.indexOf('\n});\n', open));
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const firstLine = (card: any) => cardAsText(card).split('\n')[0] ?? '';
  await new AsyncFunction('emu', 'expect', 'cardAsText', 'firstLine', body)(e, expect, cardAsText, firstLine);
}

describe('recording a bot-menu press and pasted links', () => {
  it('records them as steps, writes pressMenu and pasteLink, and the generated test replays them', async () => {
    const preview = (url: string) => `${HOSTILE} ${url.split('/').pop()}`;
    const { emu: e, pressed } = await withBot('cli_a1b2c3d4e5f60d01', preview);
    const state = await control(e, 'GET', '/_emulator/state');
    const group = state.chats.find((c: any) => c.name === 'Card Playground').chat_id;
    const alice = e.user('alice@example.com');
    const rec = await control(e, 'POST', '/_emulator/recordings', {});
    await control(e, 'POST', `/_emulator/users/${alice.openId}/menu`, { event_key: 'my_approvals' });
    await control(e, 'POST', `/_emulator/users/${alice.openId}/links`, { chat_id: group, url: 'https://approvals.example.com/requests/EXP-1' });
    await alice.pasteLink('p2p', 'https://approvals.example.com/requests/EXP-2');
    // A link no app previews is recorded as a link too, with no previews.
    await alice.pasteLink(group, 'https://elsewhere.example.org/x');
    const done = await control(e, 'POST', `/_emulator/recordings/${rec.id}/stop`, {});
    expect(done.steps.map((s: any) => s.kind)).toEqual(['menu', 'link', 'link', 'link']);
    expect(done.steps[0]).toMatchObject({ app_id: e.app().appId, event_key: 'my_approvals', user: { email: 'alice@example.com' } });
    expect(done.steps[1]).toMatchObject({ url: 'https://approvals.example.com/requests/EXP-1', chat: { id: group, mode: 'group' }, previews: [{ app_id: e.app().appId, ok: true, title: `${HOSTILE} EXP-1` }] });
    expect(done.steps[2]).toMatchObject({ chat: { mode: 'p2p' }, app_id: e.app().appId });
    expect(done.steps[3].previews).toEqual([]);

    const code = recordedTest(done, { typescript: true });
    expect(code).toContain('await alice.pressMenu("my_approvals");');
    expect(code).toContain(`const link1 = await alice.pasteLink(${JSON.stringify(group)}, "https://approvals.example.com/requests/EXP-1");`);
    expect(code).toContain(`expect(link1.previews.map((p) => ({ app: p.appId, ok: p.ok, title: p.inline?.title ?? null }))).toEqual([{ app: ${JSON.stringify(e.app().appId)}, ok: true, title: ${JSON.stringify(`${HOSTILE} EXP-1`)} }]);`);
    expect(code).toContain('const link2 = await alice.pasteLink("p2p", "https://approvals.example.com/requests/EXP-2");');
    expect(syntaxErrors(code)).toEqual([]);

    // Against a fresh emulator and the same bot, the generated test passes and presses the same key.
    const again = await withBot(e.app().appId, preview);
    await runBody(code, again.emu);
    expect(again.pressed).toEqual(['my_approvals']);
    // A bot that previews differently fails it.
    const changed = await withBot(e.app().appId, (url) => `Other ${url}`);
    await expect(runBody(code, changed.emu)).rejects.toThrow(/expected/);
    expect(pressed).toEqual(['my_approvals']);
  });
});
