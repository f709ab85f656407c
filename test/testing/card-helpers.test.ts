import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { cardAsText, interactiveElements, startEmulator, textOf, type Card, type CardV1, type CardV2, type TestEmulator } from '../../src/testing/index.js';
import { FIXTURES } from '../helpers/cli.js';
import { serve } from '../helpers/handler.js';

/** The helpers `feishu-card-cli/testing` exports for reading a card: its texts, what can be acted on, and the card as text. */
const approval = JSON.parse(readFileSync(join(FIXTURES, 'cards/approval.v2.json'), 'utf8')) as CardV2;

const text = (content: string) => ({ tag: 'plain_text' as const, content });

const mixed: CardV2 = {
  schema: '2.0',
  header: { title: text('Standup'), subtitle: { tag: 'plain_text', content: 'Tuesday' } },
  body: {
    elements: [
      { tag: 'markdown', content: 'Hi <at id=ou_alice></at> and <at id="ou_bob"></at>, <font color="red">**late**</font> [again](https://example.com/log); <at id=all></at>' },
      { tag: 'img', img_key: 'img_v3_x', alt: text('Burn-down chart') },
      { tag: 'hr' },
      {
        tag: 'form',
        name: 'f',
        elements: [
          { tag: 'input', name: 'note', placeholder: text('What did you do?') },
          { tag: 'select_static', name: 'mood', placeholder: text('Mood'), options: [{ text: text('Good'), value: 'good' }] },
          { tag: 'button', text: text('Send'), form_action_type: 'submit', name: 'send' },
        ],
      },
      { tag: 'person', user_id: 'ou_alice' },
      { tag: 'button', text: text('Skip'), behaviors: [{ type: 'callback', value: { skip: true } }] },
      { tag: 'button', text: text('Skip'), behaviors: [{ type: 'callback', value: { skip: 'all' } }] },
    ],
  },
};

describe('textOf', () => {
  it('reads a text object’s content, else its first i18n content; a string as it is; null for the rest', () => {
    expect(textOf(approval.header?.title)).toBe('Expense approval');
    expect(textOf({ tag: 'plain_text', i18n_content: { en_us: 'Hello', zh_cn: '你好' } })).toBe('Hello');
    expect(textOf('as is')).toBe('as is');
    expect(textOf(42)).toBeNull();
    expect(textOf(undefined)).toBeNull();
  });
});

describe('interactiveElements', () => {
  it('lists what a person can act on, in order, each with the one target that names it alone', () => {
    const els = interactiveElements(mixed);
    expect(els.map((e) => [e.tag, e.text, e.target])).toEqual([
      ['input', 'What did you do?', { name: 'note' }],
      ['select_static', 'Mood', { name: 'mood' }],
      ['button', 'Send', { name: 'send' }],
      // Same text twice: the value tells them apart.
      ['button', 'Skip', { value: { skip: true } }],
      ['button', 'Skip', { value: { skip: 'all' } }],
    ]);
    expect(els[0]!.form?.name).toBe('f');
    expect(els[3]!.form).toBeNull();
  });

  it('prefers element_id, and gives no target when nothing is unique', () => {
    expect(interactiveElements(approval).map((e) => e.target)).toEqual([{ elementId: 'approve_btn' }, { elementId: 'reject_btn' }]);
    const twins: CardV1 = { elements: [{ tag: 'action', actions: [{ tag: 'button', text: text('Go'), value: { a: 1 } }, { tag: 'button', text: text('Go'), value: { a: 1 } }] }] };
    expect(interactiveElements(twins).map((e) => e.target)).toEqual([null, null]);
  });
});

describe('cardAsText', () => {
  it('reads a 2.0 card as a person does: title, texts, mentions by name, images by alt, fields, buttons', () => {
    expect(cardAsText(mixed, { people: { ou_alice: 'Alice Zhang' } })).toBe(
      [
        'Standup',
        'Tuesday',
        'Hi @Alice Zhang and @ou_bob, late again; @all',
        '[image: Burn-down chart]',
        '---',
        '[input: What did you do?]',
        '[select: Mood]',
        '[Send]',
        '@Alice Zhang',
        '[Skip]',
        '[Skip]',
      ].join('\n'),
    );
  });

  it('reads a 1.0 card: div fields, an action row of buttons on one line, a note; people from a Map', () => {
    const v1: Card = {
      header: { title: { tag: 'plain_text', content: 'Deploy' } },
      elements: [
        { tag: 'div', text: { tag: 'lark_md', content: 'By <at user_id="ou_carol">Carol</at>' }, fields: [{ is_short: true, text: { tag: 'lark_md', content: '**Env:** prod' } }] },
        { tag: 'action', actions: [{ tag: 'button', text: text('Roll back'), value: {} }, { tag: 'button', text: text('Keep'), value: {} }] },
        { tag: 'note', elements: [{ tag: 'plain_text', content: 'sent by <at id=ou_dan></at>' }] },
        { tag: 'div', text: { tag: 'plain_text', content: 'plain **stays**' } },
      ],
    };
    expect(cardAsText(v1, { people: new Map([['ou_dan', 'Dan']]) })).toBe(['Deploy', 'By @Carol', 'Env: prod', '[Roll back] [Keep]', 'sent by @Dan', 'plain **stays**'].join('\n'));
  });

  it('without names, a mention shows its id', () => {
    expect(cardAsText(mixed).split('\n')[2]).toBe('Hi @ou_alice and @ou_bob, late again; @all');
  });
});

describe('the targets act on the elements they name, through the emulator', () => {
  let emu: TestEmulator;
  let bot: Awaited<ReturnType<typeof serve>>;
  let client: lark.Client;

  beforeAll(async () => {
    const seeded = loadDefaultSeed().apps[0]!;
    const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
    const handler = new lark.CardActionHandler({ encryptKey: seeded.encrypt_key, verificationToken: seeded.verification_token, logger } as any, async (data: any) => ({
      toast: { type: 'info', content: JSON.stringify(data.action.value) },
    }));
    bot = await serve(lark.adaptDefault('/webhook', handler, { autoChallenge: true }) as any);
    emu = await startEmulator({ callbackUrl: `${bot.url}/webhook`, rateLimits: false });
    const app = emu.app();
    client = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });
  });
  afterAll(async () => {
    await emu?.close();
    await bot?.close();
  });

  it('each button outside a form, clicked by its target, sends its own value; m.card is typed', async () => {
    // No image: the emulator, as the platform, refuses an image key it never issued.
    const card: CardV2 = { ...mixed, body: { elements: mixed.body!.elements!.filter((e) => e.tag !== 'img') } };
    const r = await client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: 'alice@example.com', msg_type: 'interactive', content: JSON.stringify(card) } });
    const m = await emu.waitForMessage((x) => x.messageId === r.data!.message_id);
    expect(m.card?.header?.title?.content).toBe('Standup');
    const buttons = interactiveElements(m.card!).filter((e) => e.tag === 'button' && !e.form);
    expect(buttons).toHaveLength(2);
    for (const b of buttons) {
      const { toast } = await emu.user('alice@example.com').click(m.messageId, b.target!);
      expect(JSON.parse(toast!.content)).toEqual(b.value);
    }
  });
});
