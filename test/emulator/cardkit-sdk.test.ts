import { readFileSync } from 'node:fs';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readBody, serve } from '../helpers/handler.js';
import { startEmulator, type RunningEmulator } from '../../src/index.js';

/**
 * CardKit through the official SDK's own methods (`cardkit.v1.card.*`, `cardkit.v1.cardElement.*`),
 * unchanged, against the emulator: the happy path, then each rule and its error code.
 */
let emu: RunningEmulator;
let client: lark.Client;
let other: lark.Client;
let alice: string;

const streamingCard = (extra: Record<string, unknown> = {}) => ({
  schema: '2.0',
  config: { streaming_mode: true, summary: { content: '' }, streaming_config: { print_frequency_ms: { default: 30 }, print_step: { default: 2 }, print_strategy: 'fast' } },
  header: { title: { tag: 'plain_text', content: 'Answer' } },
  body: { elements: [{ tag: 'markdown', content: '', element_id: 'answer' }, { tag: 'column_set', element_id: 'cols', columns: [] }] },
  ...extra,
});

/** Each client has its own token cache: the SDK's default one is shared by every client in the process. */
function sdk(app: { app_id: string; app_secret: string }, domain = emu.url) {
  const store = new Map<unknown, unknown>();
  const cache = {
    set: async (key: unknown, value: unknown) => (store.set(key, value), true),
    get: async (key: unknown) => store.get(key),
  };
  return new lark.Client({ appId: app.app_id, appSecret: app.app_secret, domain, appType: lark.AppType.SelfBuild, loggerLevel: lark.LoggerLevel.fatal, cache });
}

/** The SDK throws axios errors for HTTP 400; the platform's code is in the body. */
async function codeOf(p: Promise<unknown>): Promise<number> {
  try {
    const r = (await p) as { code?: number };
    return r.code ?? -1;
  } catch (err) {
    const data = (err as { response?: { data?: { code?: number } } }).response?.data;
    if (data?.code === undefined) throw err;
    return data.code;
  }
}

async function create(card: unknown = streamingCard(), c = client): Promise<string> {
  const r = await c.cardkit.v1.card.create({ data: { type: 'card_json', data: JSON.stringify(card) } });
  expect(r.code).toBe(0);
  return r.data!.card_id;
}

async function sendEntity(cardId: string, c = client) {
  return c.im.message.create({
    params: { receive_id_type: 'open_id' },
    data: { receive_id: alice, msg_type: 'interactive', content: JSON.stringify({ type: 'card', data: { card_id: cardId } }) },
  });
}

beforeAll(async () => {
  const seed = JSON.parse(readFileSync(new URL('../../fixtures/emulator/default-seed.json', import.meta.url), 'utf8'));
  // A second app allowed to use CardKit, to show that entities belong to the app that made them.
  seed.apps.push({ app_id: 'cli_c0e1d2c3b4a59689', app_secret: 'made-up-secret-for-tests', name: 'Other Bot' });
  emu = await startEmulator({ port: 0, seed });
  const apps = emu.state().apps;
  const [a, b] = [apps[0], apps.find((x) => x.app_id === 'cli_c0e1d2c3b4a59689')];
  client = sdk(a!);
  other = sdk(b!);
  alice = emu.state().users[0]!.open_id;
});
/** To the start of a fresh one-second window, so per-second limits count from zero. */
function freshSecond() {
  emu.core.clock.advance(1000 - (emu.core.now() % 1000));
}
beforeEach(() => {
  emu.core.clock.reset();
  freshSecond();
});
afterAll(async () => {
  await emu.close();
});

describe('CardKit through the official SDK', () => {
  it('creates, sends by card_id, streams text, edits elements, closes streaming; the message shows it all', async () => {
    const cardId = await create();
    expect(cardId).toMatch(/^\d{19}$/);
    const sent = await sendEntity(cardId);
    expect(sent.code).toBe(0);
    const messageId = sent.data!.message_id!;

    let seq = 0;
    for (const text of ['Hel', 'Hello, ', 'Hello, world']) {
      const r = await client.cardkit.v1.cardElement.content({ path: { card_id: cardId, element_id: 'answer' }, data: { content: text, sequence: ++seq, uuid: `c_${cardId}_${seq}` } });
      expect(r.code).toBe(0);
    }
    expect((await client.cardkit.v1.cardElement.create({
      path: { card_id: cardId },
      data: { type: 'insert_after', target_element_id: 'answer', sequence: ++seq, elements: JSON.stringify([{ tag: 'markdown', content: 'sources', element_id: 'src' }]) },
    })).code).toBe(0);
    expect((await client.cardkit.v1.cardElement.create({
      path: { card_id: cardId },
      data: { type: 'append', target_element_id: 'cols', sequence: ++seq, elements: JSON.stringify([{ tag: 'column', elements: [{ tag: 'markdown', content: 'c1', element_id: 'c1' }] }]) },
    })).code).toBe(0);
    expect((await client.cardkit.v1.cardElement.patch({ path: { card_id: cardId, element_id: 'src' }, data: { partial_element: JSON.stringify({ content: 'Sources: 2' }), sequence: ++seq } })).code).toBe(0);
    expect((await client.cardkit.v1.cardElement.update({ path: { card_id: cardId, element_id: 'c1' }, data: { element: JSON.stringify({ tag: 'markdown', content: 'col one' }), sequence: ++seq } })).code).toBe(0);
    expect((await client.cardkit.v1.cardElement.delete({ path: { card_id: cardId, element_id: 'src' }, data: { sequence: ++seq } })).code).toBe(0);
    expect((await client.cardkit.v1.card.batchUpdate({
      path: { card_id: cardId },
      data: {
        sequence: ++seq,
        actions: JSON.stringify([
          { action: 'add_elements', params: { type: 'append', elements: [{ tag: 'markdown', content: 'footer', element_id: 'foot' }] } },
          { action: 'partial_update_element', params: { element_id: 'foot', partial_element: { content: 'done' } } },
        ]),
      },
    })).code).toBe(0);
    expect((await client.cardkit.v1.card.settings({ path: { card_id: cardId }, data: { settings: JSON.stringify({ config: { streaming_mode: false, summary: { content: 'Hello' } } }), sequence: ++seq } })).code).toBe(0);

    // user_card_content: the card itself rather than the platform's digest of it.
    const got = await client.im.message.get({ path: { message_id: messageId }, params: { card_msg_content_type: 'user_card_content' } } as any);
    const card = JSON.parse(got.data!.items![0]!.body!.content!);
    expect(card.config.streaming_mode).toBe(false);
    const els = card.body.elements;
    expect(els.map((e: { element_id?: string }) => e.element_id)).toEqual(['answer', 'cols', 'foot']);
    expect(els[0].content).toBe('Hello, world');
    expect(els[1].columns[0].elements[0]).toMatchObject({ element_id: 'c1', content: 'col one' });
    expect(els[2].content).toBe('done');

    const conv = await client.cardkit.v1.card.idConvert({ data: { message_id: messageId } });
    expect(conv.data!.card_id).toBe(cardId);

    // A full update replaces the card; the message follows it. (10 operations a second per card.)
    freshSecond();
    expect((await client.cardkit.v1.card.update({ path: { card_id: cardId }, data: { card: { type: 'card_json', data: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'replaced' }] } }) }, sequence: ++seq } })).code).toBe(0);
    const stored = emu.messages().find((m) => m.message_id === messageId)!;
    expect((stored.card as any).body.elements[0].content).toBe('replaced');
    // A stream folds into one version, not one per push.
    expect(stored.versions.length).toBe(2);
  });

  it('creates from a template', async () => {
    const r = await client.cardkit.v1.card.create({
      data: { type: 'template', data: JSON.stringify({ template_id: 'AAqDemoApprov', template_variable: { applicant: 'Ann', amount: 3 } }) },
    });
    expect(r.code).toBe(0);
    expect(JSON.stringify(emu.core && (await fetch(`${emu.url}/_emulator/cardkit/cards`).then((x) => x.json())))).toContain('Ann');
  });

  it('refuses what the platform refuses, with its codes', async () => {
    const ck = client.cardkit.v1;
    // JSON 1.0, non-shared, empty, duplicate ids, too many components.
    expect(await codeOf(ck.card.create({ data: { type: 'card_json', data: JSON.stringify({ elements: [{ tag: 'markdown', content: 'x' }] }) } }))).toBe(300303);
    expect(await codeOf(ck.card.create({ data: { type: 'card_json', data: JSON.stringify(streamingCard({ config: { update_multi: false } })) } }))).toBe(300302);
    expect(await codeOf(ck.card.create({ data: { type: 'card_json', data: '{}' } }))).toBe(300307);
    const dup = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'a', element_id: 'x' }, { tag: 'markdown', content: 'b', element_id: 'x' }] } };
    expect(await codeOf(ck.card.create({ data: { type: 'card_json', data: JSON.stringify(dup) } }))).toBe(300301);
    const many = { schema: '2.0', body: { elements: Array.from({ length: 201 }, () => ({ tag: 'hr' })) } };
    expect(await codeOf(ck.card.create({ data: { type: 'card_json', data: JSON.stringify(many) } }))).toBe(300305);
    const big = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x'.repeat(31 * 1024) }] } };
    expect(await codeOf(ck.card.create({ data: { type: 'card_json', data: JSON.stringify(big) } }))).toBe(200860);

    const cardId = await create();
    const path = { card_id: cardId, element_id: 'answer' };
    // Unknown card, another app.
    expect(await codeOf(ck.cardElement.content({ path: { card_id: '1234567890123456789', element_id: 'answer' }, data: { content: 'x', sequence: 1 } }))).toBe(200740);
    expect(await codeOf(other.cardkit.v1.cardElement.content({ path, data: { content: 'x', sequence: 1 } }))).toBe(300311);
    // sequence: strictly increasing, one counter across endpoints, 0 refused.
    expect(await codeOf(ck.cardElement.content({ path, data: { content: 'x', sequence: 0 } }))).toBe(300317);
    expect(await codeOf(ck.cardElement.content({ path, data: { content: 'a', sequence: 5 } }))).toBe(0);
    expect(await codeOf(ck.cardElement.content({ path, data: { content: 'ab', sequence: 5 } }))).toBe(300317);
    expect(await codeOf(ck.card.settings({ path: { card_id: cardId }, data: { settings: '{"config":{"summary":{"content":"s"}}}', sequence: 4 } }))).toBe(300317);
    // uuid: a retry gets the same answer; a different request with it is a conflict.
    expect(await codeOf(ck.cardElement.content({ path, data: { content: 'abc', sequence: 6, uuid: 'u1' } }))).toBe(0);
    expect(await codeOf(ck.cardElement.content({ path, data: { content: 'abc', sequence: 6, uuid: 'u1' } }))).toBe(0);
    expect(await codeOf(ck.cardElement.content({ path, data: { content: 'abcd', sequence: 7, uuid: 'u1' } }))).toBe(200770);
    freshSecond();
    // Text only into text elements; tags cannot change; unknown elements.
    expect(await codeOf(ck.cardElement.content({ path: { card_id: cardId, element_id: 'cols' }, data: { content: 'x', sequence: 8 } }))).toBe(300310);
    expect(await codeOf(ck.cardElement.patch({ path, data: { partial_element: '{"tag":"hr"}', sequence: 9 } }))).toBe(300312);
    expect(await codeOf(ck.cardElement.delete({ path: { card_id: cardId, element_id: 'nope' }, data: { sequence: 10 } }))).toBe(300314);
    expect(await codeOf(ck.cardElement.create({ path: { card_id: cardId }, data: { type: 'append', target_element_id: 'answer', sequence: 11, elements: '[{"tag":"hr"}]' } }))).toBe(300315);
    expect(await codeOf(ck.cardElement.create({ path: { card_id: cardId }, data: { type: 'append', sequence: 12, elements: '[{"tag":"hr","element_id":"answer"}]' } }))).toBe(300301);
    expect(await codeOf(ck.cardElement.update({ path: { card_id: cardId, element_id: 'nope' }, data: { element: '{"tag":"hr"}', sequence: 12 } }))).toBe(300121);
    expect(await codeOf(ck.cardElement.patch({ path: { card_id: cardId, element_id: 'nope' }, data: { partial_element: '{"content":"x"}', sequence: 12 } }))).toBe(300313);
    // A component JSON 2.0 removed cannot be built.
    expect(await codeOf(ck.card.update({ path: { card_id: cardId }, data: { card: { type: 'card_json', data: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'note', elements: [] }] } }) }, sequence: 12 } }))).toBe(200220);
    freshSecond(); // 10 operations a second per card, refused ones included
    // Closed streaming refuses text.
    expect(await codeOf(ck.card.settings({ path: { card_id: cardId }, data: { settings: '{"config":{"streaming_mode":false}}', sequence: 13 } }))).toBe(0);
    expect(await codeOf(ck.cardElement.content({ path, data: { content: 'late', sequence: 14 } }))).toBe(300309);
  });

  it('sends an entity once, by the app that made it, in the right content shape', async () => {
    const cardId = await create();
    const err = await codeOf(other.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: alice, msg_type: 'interactive', content: JSON.stringify({ type: 'card', data: { card_id: cardId } }) },
    }));
    expect(err).toBe(230099);
    expect((await sendEntity(cardId)).code).toBe(0);
    expect(await codeOf(sendEntity(cardId))).toBe(230099);
    // `{"card_id": …}` alone is the classic mistake: a parse error (200621 inside 230099).
    const wrong = await client.im.message
      .create({ params: { receive_id_type: 'open_id' }, data: { receive_id: alice, msg_type: 'interactive', content: JSON.stringify({ card_id: cardId }) } })
      .catch((e) => e.response.data);
    expect(wrong.code).toBe(230099);
    expect(wrong.msg).toContain('200621');
  });

  it('closes streaming after 10 minutes (200850 once, then 300309) and expires entities after 14 days', async () => {
    const cardId = await create();
    const path = { card_id: cardId, element_id: 'answer' };
    expect(await codeOf(client.cardkit.v1.cardElement.content({ path, data: { content: 'a', sequence: 1 } }))).toBe(0);
    emu.core.clock.advance(10 * 60 * 1000 + 1);
    expect(await codeOf(client.cardkit.v1.cardElement.content({ path, data: { content: 'ab', sequence: 2 } }))).toBe(200850);
    expect(await codeOf(client.cardkit.v1.cardElement.content({ path, data: { content: 'ab', sequence: 3 } }))).toBe(300309);
    // Turning it on again opens another 10 minutes.
    expect(await codeOf(client.cardkit.v1.card.settings({ path: { card_id: cardId }, data: { settings: '{"config":{"streaming_mode":true}}', sequence: 4 } }))).toBe(0);
    expect(await codeOf(client.cardkit.v1.cardElement.content({ path, data: { content: 'abc', sequence: 5 } }))).toBe(0);

    // The token would expire too: fetch a new one from a fresh client after the jump.
    emu.core.clock.advance(14 * 24 * 3600 * 1000);
    const fresh = sdk(emu.state().apps[0]!);
    expect(await codeOf(fresh.cardkit.v1.cardElement.content({ path, data: { content: 'abcd', sequence: 6 } }))).toBe(200750);
  });

  it('limits one card to 10 operations a second', async () => {
    // A clock that stands still, so all 12 calls fall in one second however slow the machine is.
    let frozen = 1_800_000_000_000;
    const still = await startEmulator({ port: 0, now: () => frozen });
    try {
      const c = sdk(still.state().apps[0]!, still.url);
      const made = await c.cardkit.v1.card.create({ data: { type: 'card_json', data: JSON.stringify(streamingCard()) } });
      const path = { card_id: made.data!.card_id, element_id: 'answer' };
      const codes: number[] = [];
      for (let i = 1; i <= 12; i++) codes.push(await codeOf(c.cardkit.v1.cardElement.content({ path, data: { content: 'x'.repeat(i), sequence: i } })));
      expect(codes).toEqual([...Array(10).fill(0), 99991400, 99991400]);
      // A refused call did not use its sequence; the next second takes it.
      frozen += 1000;
      const last = await c.cardkit.v1.cardElement.content({ path, data: { content: 'next', sequence: 11 } }).catch((e) => e.response.data);
      expect(last.code, JSON.stringify(last)).toBe(0);
    } finally {
      await still.close();
    }
  });

  it('refuses updates while a click is answered (200810), and a callback cannot update a streaming card', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let arrived = false;
    const handler = await serve(async (req, res) => {
      await readBody(req);
      arrived = true;
      await gate;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ toast: { type: 'info', content: 'ok' }, card: { type: 'raw', data: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'from callback' }] } } } }));
    });
    const app = emu.core.store.apps.get(emu.state().apps[0]!.app_id)!;
    const saved = app.callback_url;
    app.callback_url = `${handler.url}/card`;
    try {
      const cardId = await create();
      const messageId = (await sendEntity(cardId)).data!.message_id!;
      const click = fetch(`${emu.url}/_emulator/inbox/click`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message_id: messageId, action: { tag: 'button', value: { k: 'v' } } }),
      }).then((r) => r.json() as Promise<any>);
      // Wait until the callback is in flight.
      for (let i = 0; i < 500 && !arrived; i++) await new Promise((r) => setTimeout(r, 10));
      expect(arrived).toBe(true);
      const path = { card_id: cardId, element_id: 'answer' };
      expect(await codeOf(client.cardkit.v1.cardElement.content({ path, data: { content: 'busy', sequence: 1 } }))).toBe(200810);
      release();
      const answered = (await click).data.interaction;
      expect(answered.applied).toBeNull();
      expect(answered.problems[0].message).toContain('streaming');
      // Once answered, updates go through again, with the sequence the refused call did not use.
      expect(await codeOf(client.cardkit.v1.cardElement.content({ path, data: { content: 'free', sequence: 1 } }))).toBe(0);
      const shown = emu.messages().find((m) => m.message_id === messageId)!.card as any;
      expect(shown.body.elements[0].content).toBe('free');
    } finally {
      app.callback_url = saved;
      release();
      await handler.close();
    }
  });
});
