import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { serve } from '../helpers/handler.js';

/**
 * The client's form rules, as the testing library applies them: inside a form, choosing, picking,
 * typing and ticking fill the form and send nothing; the submit button sends every named field
 * (filled, else its default) with its own value; the reset button clears what was filled.
 * Outside a form, a component sends on interaction.
 */
const plain = (content: string) => ({ tag: 'plain_text', content });
const options = [{ text: plain('Small'), value: 's' }, { text: plain('Large'), value: 'l' }];
const card = {
  schema: '2.0',
  body: {
    elements: [
      { tag: 'select_static', element_id: 'outside', placeholder: plain('Outside'), options, behaviors: [{ type: 'callback', value: { field: 'outside' } }] },
      {
        tag: 'form',
        name: 'order',
        elements: [
          { tag: 'select_static', name: 'size', placeholder: plain('Size'), options, initial_option: 's' },
          { tag: 'multi_select_static', name: 'extras', placeholder: plain('Extras'), options: [{ text: plain('Milk'), value: 'milk' }, { text: plain('Sugar'), value: 'sugar' }] },
          { tag: 'input', name: 'note', placeholder: plain('Note'), default_value: 'none', max_length: 10 },
          { tag: 'date_picker', name: 'day', placeholder: plain('Day') },
          { tag: 'checker', name: 'gift', text: plain('Gift') },
          { tag: 'button', name: 'reset', text: plain('Clear'), form_action_type: 'reset' },
          { tag: 'button', name: 'send', text: plain('Order'), form_action_type: 'submit', behaviors: [{ type: 'callback', value: { action: 'order' } }] },
        ],
      },
    ],
  },
};

let emu: TestEmulator;
let bot: Awaited<ReturnType<typeof serve>>;
let client: lark.Client;
const seen: any[] = [];

beforeAll(async () => {
  const seeded = loadDefaultSeed().apps[0]!;
  const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  const handler = new lark.CardActionHandler({ encryptKey: seeded.encrypt_key, verificationToken: seeded.verification_token, logger } as any, async (data: any) => {
    seen.push(data.action);
    return { toast: { type: 'info', content: 'ok' } };
  });
  bot = await serve(lark.adaptDefault('/webhook', handler, { autoChallenge: true }) as any);
  emu = await startEmulator({ callbackUrl: `${bot.url}/webhook`, rateLimits: false });
  const app = emu.app();
  client = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });
});
afterAll(async () => {
  await emu?.close();
  await bot?.close();
});
beforeEach(() => {
  seen.length = 0;
});

const sendCard = async () => {
  const r = await client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'alice@example.com', msg_type: 'interactive', content: JSON.stringify(card) } });
  return r.data!.message_id!;
};

describe('testing library: the client\'s form rules', () => {
  it('a select inside a form sends nothing; submit carries every field, filled and default, and the button\'s value', async () => {
    const id = await sendCard();
    const alice = emu.user('alice@example.com');
    const chose = await alice.choose(id, { name: 'size' }, 'Large');
    expect(chose.sent).toBe(false);
    expect(chose.interaction).toBeNull();
    expect(chose.form).toEqual({ name: 'order', values: { size: 'l' } });
    await alice.choose(id, { name: 'extras' }, ['Sugar', 'milk']);
    await alice.pick(id, { name: 'day' }, '2026-03-01');
    await alice.click(id, { name: 'gift' });
    expect(seen).toEqual([]);
    expect(emu.interactions()).toHaveLength(0);

    const sent = await alice.click(id, { text: 'Order' });
    expect(sent.sent).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0].value).toEqual({ action: 'order' });
    // note was not touched: its default_value goes with the rest.
    expect(seen[0].form_value).toEqual({ size: 'l', extras: ['sugar', 'milk'], note: 'none', day: '2026-03-01 +0800', gift: true });
  });

  it('a submitted form starts afresh; the same person\'s fill is kept across user() handles', async () => {
    const id = await sendCard();
    await emu.user('alice@example.com').type(id, { name: 'note' }, 'hot');
    await emu.user('alice@example.com').submitForm(id, { gift: true });
    expect(seen[0].form_value).toMatchObject({ note: 'hot', gift: true, size: 's' });
    await emu.user('alice@example.com').submitForm(id, {});
    expect(seen[1].form_value).toEqual({ size: 's', note: 'none', gift: false });
  });

  it('fills are each person\'s own', async () => {
    const id = await sendCard();
    await emu.user('alice@example.com').choose(id, { name: 'size' }, 'Large');
    await emu.user('bob@example.com').submitForm(id, {});
    expect(seen[0].form_value.size).toBe('s');
  });

  it('reset clears what was filled, and sends nothing', async () => {
    const id = await sendCard();
    const alice = emu.user('alice@example.com');
    await alice.choose(id, { name: 'size' }, 'Large');
    await alice.click(id, { name: 'gift' });
    const reset = await alice.click(id, { text: 'Clear' });
    expect(reset.sent).toBe(false);
    expect(reset.form).toEqual({ name: 'order', values: {} });
    expect(seen).toEqual([]);
    await alice.click(id, { text: 'Order' });
    expect(seen[0].form_value).toEqual({ size: 's', note: 'none', gift: false });
  });

  it('a checker ticked twice in a form is unticked again', async () => {
    const id = await sendCard();
    const alice = emu.user('alice@example.com');
    await alice.click(id, { name: 'gift' });
    expect((await alice.click(id, { name: 'gift' })).form?.values).toEqual({ gift: false });
  });

  it('the input rules apply while filling', async () => {
    const id = await sendCard();
    await expect(emu.user('alice@example.com').type(id, { name: 'note' }, 'far too long for it')).rejects.toThrow(/at most 10 characters/);
  });

  it('outside a form, a select still sends at once', async () => {
    const id = await sendCard();
    const r = await emu.user('alice@example.com').choose(id, { elementId: 'outside' }, 'Large');
    expect(r.sent).toBe(true);
    expect(r.form).toBeNull();
    expect(seen).toEqual([expect.objectContaining({ tag: 'select_static', option: 'l', value: { field: 'outside' } })]);
  });

  it('reset() forgets what was filled', async () => {
    const id = await sendCard();
    await emu.user('alice@example.com').choose(id, { name: 'size' }, 'Large');
    emu.reset();
    const again = await sendCard();
    expect(again).not.toBe(id);
    await emu.user('alice@example.com').submitForm(again, {});
    expect(seen[0].form_value.size).toBe('s');
  });
});
