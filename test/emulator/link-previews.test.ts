import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { BotFailureError, type TestEmulator } from '../../src/testing/index.js';
import { loadDefaultSeed, SeedError, validateSeed } from '../../src/emulator/seed.js';
import { ruleMatches } from '../../src/emulator/seed-menu-links.js';
import { seededUserIds } from '../../src/callback/seeded-ids.js';
import { control, eventBots, quietLogger as quiet, sdkOf, seededApp as seeded, seedFor } from '../helpers/event-bots.js';
import { serve } from '../helpers/handler.js';

/**
 * Link previews: a person sends a link matching the app's URL rules, the app gets url.preview.get
 * (signed and encrypted as a card callback, or over the long connection) and answers with the
 * inline preview and a card, which the message then shows; batch_update makes the platform ask again.
 */
const alice = seededUserIds(loadDefaultSeed().users!.find((u) => u.email === 'alice@example.com')!);
const LINK = 'https://approvals.example.com/requests/EXP-1024';

const bots = eventBots();

const previewCard = (title: string) => ({ schema: '2.0', header: { title: { tag: 'plain_text', content: title } }, body: { elements: [{ tag: 'markdown', content: `**${title}** is waiting for your approval` }] } });

/** A preview bot: answers each url.preview.get with `answer(data, n)` (n counts the calls). */
function previewHandlers(got: any[], answer: (data: any, n: number) => unknown) {
  return {
    'url.preview.get': (data: any) => {
      got.push(data);
      return answer(data, got.length);
    },
    'im.message.receive_v1': () => ({}),
  };
}

const goodAnswer = (data: any, n: number) => {
  const id = String(data.context.url).split('/').pop();
  return { inline: { title: `Request ${id} (v${n})`, i18n_title: { zh_cn: `申请 ${id}` } }, card: { type: 'card_json', data: previewCard(`Request ${id} v${n}`) } };
};

async function webhookBot(appId: string, answer: (data: any, n: number) => unknown = goodAnswer): Promise<{ emu: TestEmulator; got: any[] }> {
  const got: any[] = [];
  return { emu: await bots.webhookBot(previewHandlers(got, answer), { seed: seedFor(appId), at: 'callbacks' }), got };
}

async function groupOf(e: TestEmulator): Promise<string> {
  return (await control(e, 'GET', '/_emulator/state')).data.chats.find((c: any) => c.name === 'Card Playground').chat_id;
}

async function inboxEntry(e: TestEmulator, chatId: string, messageId: string): Promise<any> {
  const r = await control(e, 'GET', `/_emulator/inbox/messages?chat_id=${chatId}`);
  return r.data.messages.find((m: any) => m.message_id === messageId);
}

describe('url.preview.get to an EventDispatcher on the callback URL', () => {
  it('a pasted link is previewed: the SDK gets the link and its token, the message shows the answer, batch_update asks again', async () => {
    const { emu: e, got } = await webhookBot('cli_a1b2c3d4e5f60c01');
    const group = await groupOf(e);
    const { message, previews } = await e.user('alice@example.com').pasteLink(group, LINK);
    expect(message).toMatchObject({ chatId: group, msgType: 'text', text: LINK });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      event_type: 'url.preview.get',
      app_id: e.app().appId,
      host: 'im_message',
      operator: { open_id: alice.open_id, union_id: alice.union_id, user_id: alice.user_id },
      context: { url: LINK, open_message_id: message.messageId, open_chat_id: group, preview_token: expect.stringMatching(/^pt_/) },
    });
    expect(previews).toEqual([
      { appId: e.app().appId, previewToken: got[0].context.preview_token, ok: true, problems: [], inline: { title: 'Request EXP-1024 (v1)', i18n_title: { zh_cn: '申请 EXP-1024' } }, card: { type: 'card_json', data: previewCard('Request EXP-1024 v1') } },
    ]);
    // Sent as card callbacks are: to the callback URL, encrypted, judged ok.
    expect(e.deliveries({ category: 'callback' })).toMatchObject([{ kind: 'url.preview.get', transport: 'webhook', verdict: 'ok' }]);

    // The inbox shows the preview under the person's message.
    const entry = await inboxEntry(e, group, message.messageId);
    expect(entry.previews).toMatchObject([{ app_id: e.app().appId, url: LINK, preview_token: previews[0]!.previewToken, pulls: 1, inline: { title: 'Request EXP-1024 (v1)' }, problems: [] }]);
    expect(entry.previews[0].card_html).toContain('Request EXP-1024 v1');
    // The message APIs still read the message as the text it is.
    const read = await sdkOf(e).im.message.get({ path: { message_id: message.messageId } });
    expect(JSON.parse(read.data!.items![0]!.body!.content!)).toEqual({ text: LINK });

    // batch_update: the clients ask again; the new answer replaces the preview.
    const r = await sdkOf(e).im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [previews[0]!.previewToken], open_ids: [alice.open_id] } });
    expect(r.code).toBe(0);
    await e.idle();
    expect(got).toHaveLength(2);
    expect(got[1].context).toEqual(got[0].context);
    expect(got[1].operator.open_id).toBe(alice.open_id);
    const again = await inboxEntry(e, group, message.messageId);
    expect(again.previews[0]).toMatchObject({ pulls: 2, refreshes: 1, inline: { title: 'Request EXP-1024 (v2)' } });
    expect(again.previews[0].card_html).toContain('Request EXP-1024 v2');
  });

  it('through the control API; a link no rule matches is sent with no preview', async () => {
    const { emu: e, got } = await webhookBot('cli_a1b2c3d4e5f60c02');
    const group = await groupOf(e);
    const r = await control(e, 'POST', `/_emulator/users/${alice.open_id}/links`, { chat_id: group, url: 'https://shop.example.com/orders/77' });
    expect(r.code).toBe(0);
    expect(r.data).toMatchObject({ chat_id: group, message: { msg_type: 'text', content: JSON.stringify({ text: 'https://shop.example.com/orders/77' }) } });
    expect(r.data.previews).toMatchObject([{ app_id: e.app().appId, ok: true, inline: { title: 'Request 77 (v1)' } }]);
    expect(r.data.deliveries).toMatchObject([{ category: 'callback', kind: 'url.preview.get', verdict: 'ok' }]);
    const plain = await control(e, 'POST', `/_emulator/users/${alice.open_id}/links`, { chat_id: group, url: 'https://elsewhere.example.org/x' });
    expect(plain.data).toMatchObject({ previews: [], deliveries: [] });
    expect(got).toHaveLength(1);
    // Refusals: not a URL, a chat the person is not in, an unknown person.
    const notUrl = await control(e, 'POST', `/_emulator/users/${alice.open_id}/links`, { chat_id: group, url: 'javascript:alert(1)' });
    expect(notUrl.status).toBe(400);
    expect(notUrl.error.field_violations[0].field).toBe('url');
    expect((await control(e, 'POST', `/_emulator/users/${alice.open_id}/links`, { chat_id: 'oc_nope', url: LINK })).error.field_violations[0].field).toBe('chat_id');
    expect((await control(e, 'POST', '/_emulator/users/ou_nobody/links', { chat_id: group, url: LINK })).status).toBe(404);
    expect(got).toHaveLength(1);
  });

  it("only an app available to the person previews their link", async () => {
    const got: any[] = [];
    const seed = seedFor('cli_a1b2c3d4e5f60c06');
    const bob = seededUserIds(seed.users.find((u: any) => u.email === 'bob@example.com'));
    seed.apps[0].availability = [bob.open_id];
    const emu = await bots.webhookBot(previewHandlers(got, goodAnswer), { seed, at: 'callbacks' });
    const group = await groupOf(emu);
    expect((await emu.user('alice@example.com').pasteLink(group, LINK)).previews).toEqual([]);
    expect(got).toHaveLength(0);
    expect((await emu.user('bob@example.com').pasteLink(group, LINK)).previews).toMatchObject([{ ok: true }]);
    expect(got[0].operator.open_id).toBe(bob.open_id);
  });

  it('answers the client refuses come back as problems; a bot that fails rejects pasteLink', async () => {
    const answers: unknown[] = [
      {},
      { inline: { title: '' } },
      { inline: { title: 'ok' }, card: { type: 'raw', data: {} } },
      { inline: { title: 'ok', image_key: 'not-a-key' }, toast: { type: 'info', content: 'hi' } },
      { inline: { title: 'ok' }, card: { type: 'template', data: { template_id: 'AAqNoSuchTpl' } } },
      { inline: { title: 'ok' }, card: { type: 'card_json', data: { schema: '2.0', body: { elements: [{ tag: 'no_such_tag' }] } } } },
    ];
    const { emu: e } = await webhookBot('cli_a1b2c3d4e5f60c03', (_data, n) => {
      if (n > answers.length) throw new Error('preview service is down');
      return answers[n - 1];
    });
    const group = await groupOf(e);
    const user = e.user('alice@example.com');
    const problemsOf = async (n: number) => {
      const { previews } = await user.pasteLink(group, `${LINK}-${n}`);
      expect(previews[0]!.ok).toBe(false);
      expect(previews[0]!.inline).toBeNull();
      return previews[0]!.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    };
    expect(await problemsOf(1)).toContain('$.inline: the answer needs inline {title}');
    expect(await problemsOf(2)).toContain('$.inline.title: the inline preview needs a title');
    expect(await problemsOf(3)).toContain('$.card.type: "raw" is not a preview card type; use "card_json" or "template"');
    const fourth = await problemsOf(4);
    expect(fourth).toContain('$.toast: unknown key');
    expect(fourth).toContain('$.inline.image_key: must be an image key');
    expect(await problemsOf(5)).toContain('$.card.data: the template could not be built');
    expect(await problemsOf(6)).toMatch(/\$\.card\.data\.body\.elements\[0\]/);
    // The delivery log says what the client would show.
    const refused = e.deliveries({ category: 'callback' });
    expect(refused).toHaveLength(6);
    expect(refused.every((d) => d.verdict === 'failed' && d.kind === 'url.preview.get')).toBe(true);
    expect(refused[0]!.client_code).toBe(200672);
    // A handler that throws: HTTP 500 from the webhook, a failure of the bot's.
    const err = await user.pasteLink(group, `${LINK}-7`).catch((x) => x);
    expect(err).toBeInstanceOf(BotFailureError);
    expect(err.message).toContain(`link ${LINK}-7 was sent, and a bot failed it`);
    expect(err.deliveries[0]).toMatchObject({ kind: 'url.preview.get', status: 500 });
  });

  it('a refused answer to a re-pull leaves the last accepted preview, with the problems beside it', async () => {
    const { emu: e, got } = await webhookBot('cli_a1b2c3d4e5f60c07', (data, n) => (n === 1 ? goodAnswer(data, n) : { inline: { title: 42 } }));
    const group = await groupOf(e);
    const { message, previews } = await e.user('alice@example.com').pasteLink(group, LINK);
    expect((await sdkOf(e).im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [previews[0]!.previewToken] } })).code).toBe(0);
    await e.idle();
    expect(got).toHaveLength(2);
    const entry = await inboxEntry(e, group, message.messageId);
    expect(entry.previews[0]).toMatchObject({ pulls: 2, inline: { title: 'Request EXP-1024 (v1)' }, problems: [{ path: '$.inline.title' }] });
    expect(e.deliveries({ category: 'callback' }).map((d) => d.verdict)).toEqual(['ok', 'failed']);
  });

  it("the official CardActionHandler verifies the callback's signature and answers it", async () => {
    const got: any[] = [];
    const handler = new lark.CardActionHandler({ encryptKey: seeded.encrypt_key!, verificationToken: seeded.verification_token!, logger: quiet } as any, async (data: any) => {
      got.push(data);
      return { inline: { title: `seen by ${data.operator.open_id}` } };
    });
    const bot = await serve(lark.adaptDefault('/cb', handler, { autoChallenge: true }) as any);
    bots.defer(bot.close);
    const emu = await bots.emulator({ seed: seedFor('cli_a1b2c3d4e5f60c04'), callbackUrl: `${bot.url}/cb` });
    const { previews } = await emu.user('alice@example.com').pasteLink(await groupOf(emu), LINK);
    expect(previews[0]).toMatchObject({ ok: true, inline: { title: `seen by ${alice.open_id}` } });
    expect(got[0]).toMatchObject({ event_type: 'url.preview.get', context: { url: LINK } });
    // With another key, the SDK refuses the signature and answers nothing: the client shows no preview.
    const other = new lark.CardActionHandler({ encryptKey: 'another-key-entirely', logger: quiet } as any, async () => ({ inline: { title: 'never' } }));
    const wrong = await serve(lark.adaptDefault('/cb', other) as any);
    bots.defer(wrong.close);
    emu.setCallbackUrl(`${wrong.url}/cb`);
    const refused = await emu.user('alice@example.com').pasteLink(await groupOf(emu), `${LINK}-2`).catch((x) => x);
    expect(refused).toBeInstanceOf(BotFailureError);
  });
});

describe('url.preview.get to a WSClient on the long connection', () => {
  it('a link in the one-to-one chat: the bot gets the message and the preview callback', async () => {
    const got: any[] = [];
    const messages: any[] = [];
    const emu = await bots.wsBot({
      ...previewHandlers(got, goodAnswer),
      'im.message.receive_v1': (data: any) => {
        messages.push(data);
        return {};
      },
    }, { seed: seedFor('cli_a1b2c3d4e5f60c05') });
    const { message, previews } = await emu.user('alice@example.com').pasteLink('p2p', 'https://approvals.example.com/requests/LEAVE-7');
    expect(messages[0]).toMatchObject({ message: { message_id: message.messageId, chat_type: 'p2p', content: JSON.stringify({ text: 'https://approvals.example.com/requests/LEAVE-7' }) } });
    expect(got[0]).toMatchObject({ event_type: 'url.preview.get', context: { open_message_id: message.messageId, open_chat_id: message.chatId } });
    expect(previews).toMatchObject([{ ok: true, inline: { title: 'Request LEAVE-7 (v1)' } }]);
    expect(emu.deliveries()).toMatchObject([
      { category: 'event', kind: 'im.message.receive_v1', transport: 'long_connection', verdict: 'ok' },
      { category: 'callback', kind: 'url.preview.get', transport: 'long_connection', verdict: 'ok' },
    ]);
  });
});

describe("the seed's url_previews", () => {
  const refusal = (rules: unknown) => {
    const seed = loadDefaultSeed() as any;
    seed.apps[1].url_previews = rules;
    try {
      validateSeed(seed, 'seed.json');
    } catch (err) {
      expect(err).toBeInstanceOf(SeedError);
      return (err as Error).message;
    }
    return 'accepted';
  };

  it('is checked with the JSON path of the first thing wrong, and bounded', () => {
    expect(refusal('https://x')).toBe('seed.json: $.apps[1].url_previews must be an array of at most 20 URL rules');
    expect(refusal(Array.from({ length: 21 }, (_, i) => ({ pattern: `https://x.example.com/${i}` })))).toContain('at most 20 URL rules');
    expect(refusal([{ pattern: 'example.com/*' }])).toContain('$.apps[1].url_previews[0].pattern must be an http(s) URL');
    expect(refusal([{ pattern: `https://x.example.com/${'a'.repeat(1100)}` }])).toContain('$.apps[1].url_previews[0].pattern');
    expect(refusal([{ pattern: 'https://x.example.com/*', host: 'x' }])).toContain('$.apps[1].url_previews[0].host is not a part of a URL rule');
    expect(refusal(['https://x.example.com/*'])).toContain('$.apps[1].url_previews[0] must be an object');
    expect(refusal([{ pattern: 'https://*.example.com/orders/*' }])).toBe('accepted');
  });

  it('a rule matches the whole link, * standing for any run of characters', () => {
    const rule = { test: (url: string) => ruleMatches('https://*.example.com/orders/*', url) };
    expect(rule.test('https://shop.example.com/orders/42?tab=items')).toBe(true);
    expect(rule.test('https://SHOP.example.com/orders/42')).toBe(true);
    expect(rule.test('https://shop.example.com/invoices/42')).toBe(false);
    expect(rule.test('http://shop.example.com/orders/42')).toBe(false);
    expect(rule.test('https://shop.example.com.evil.test/orders/42')).toBe(false);
    expect(rule.test('https://evil.test/a.example.com/orders/42')).toBe(false);
    expect(ruleMatches('https://a.example.com/x.y', 'https://a.example.com/xzy')).toBe(false);
  });
});
