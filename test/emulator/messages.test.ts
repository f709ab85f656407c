import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorForFile, legacyCard, sharedCard } from '../helpers/emulator.js';

const c = emulatorForFile();
let token: string;
beforeEach(async () => {
  token = await c.token();
});

const alice = () => c.users.find((u) => u.email === 'alice@example.com')!;
const seededChat = () => c.emu.state().chats[0]!.chat_id;

describe('POST im/v1/messages', () => {
  it('sends to every receive_id_type, and a user gets one p2p chat', async () => {
    const a = alice();
    const ids: Array<[string, string]> = [
      ['open_id', a.open_id], ['union_id', a.union_id], ['user_id', a.user_id], ['email', a.email!], ['chat_id', seededChat()],
    ];
    const chats = new Set<string>();
    for (const [type, id] of ids) {
      const r = await c.send(token, type, id, sharedCard(type));
      expect(r.body.code, type).toBe(0);
      expect(r.body.data).toMatchObject({ msg_type: 'interactive', sender: { id: c.app.app_id, sender_type: 'app' }, deleted: false, updated: false });
      expect(r.body.data.message_id).toMatch(/^om_/);
      if (type !== 'chat_id') chats.add(r.body.data.chat_id);
      else expect(r.body.data.chat_id).toBe(seededChat());
    }
    expect(chats.size).toBe(1);
    const stored = c.emu.messages();
    expect(stored).toHaveLength(5);
    expect(stored[0]!.card).toEqual(sharedCard('open_id'));
  });

  it('sends text messages', async () => {
    const r = await c.call('POST', '/open-apis/im/v1/messages?receive_id_type=email', { receive_id: 'bob@example.com', msg_type: 'text', content: '{"text":"hi"}' }, token);
    expect(r.body.code).toBe(0);
    const bad = await c.call('POST', '/open-apis/im/v1/messages?receive_id_type=email', { receive_id: 'bob@example.com', msg_type: 'text', content: '{"txt":"hi"}' }, token);
    expect(bad.body.code).toBe(230001);
  });

  it('sends at most one message per uuid', async () => {
    const first = await c.send(token, 'email', 'alice@example.com', sharedCard('one'), { uuid: 'retry-1' });
    const again = await c.send(token, 'email', 'alice@example.com', sharedCard('one'), { uuid: 'retry-1' });
    expect(again.body.data.message_id).toBe(first.body.data.message_id);
    expect(c.emu.messages()).toHaveLength(1);
    const other = await c.send(token, 'email', 'alice@example.com', sharedCard('two'), { uuid: 'retry-2' });
    expect(other.body.data.message_id).not.toBe(first.body.data.message_id);
    const long = await c.send(token, 'email', 'alice@example.com', sharedCard(), { uuid: 'x'.repeat(51) });
    expect(long.body.code).toBe(99992402);
  });

  it('renders template cards with variables and versions', async () => {
    const latest = await c.send(token, 'email', 'alice@example.com', { type: 'template', data: { template_id: 'AAqDemoApprov', template_variable: { applicant: 'Alice', amount: 42 } } });
    expect(latest.body.code).toBe(0);
    const card = c.emu.messages()[0]!.card as any;
    expect(card.header.title.content).toBe('Approval request');
    expect(card.body.elements[0].content).toContain('**Applicant:** Alice');
    expect(card.body.elements[0].content).toContain('**Amount:** 42');
    expect(card.body.elements).toHaveLength(3); // 1.1.0 is the latest and has a Reject button
    const pinned = await c.send(token, 'email', 'alice@example.com', { type: 'template', data: { template_id: 'AAqDemoApprov', template_version_name: '1.0.0', template_variable: { applicant: 'Bob' } } });
    expect(pinned.body.code).toBe(0);
    expect((c.emu.messages()[1]!.card as any).body.elements).toHaveLength(2);
  });

  it.each([
    ['an unknown template', { type: 'template', data: { template_id: 'AAqNoSuchThing' } }, 200380],
    ['an unknown template version', { type: 'template', data: { template_id: 'AAqDemoApprov', template_version_name: '9.9.9' } }, 200380],
    ['a variable of the wrong type', { type: 'template', data: { template_id: 'AAqDemoApprov', template_variable: { amount: 'lots' } } }, 200732],
    ['a 2.0 card with a removed tag', { schema: '2.0', body: { elements: [{ tag: 'note', elements: [] }] } }, 200861],
    ['a 2.0 card with more than 200 elements', { schema: '2.0', body: { elements: Array.from({ length: 201 }, () => ({ tag: 'hr' })) } }, 11310],
  ])('refuses %s with 230099 and the sub-code', async (_name, card, sub) => {
    const r = await c.send(token, 'email', 'alice@example.com', card);
    expect([r.status, r.body.code]).toEqual([400, 230099]);
    expect(r.body.msg).toMatch(new RegExp(`ErrCode: ${sub};`));
    expect(c.emu.messages()).toHaveLength(0);
  });

  it('refuses card JSON that does not parse with sub-code 200621', async () => {
    const r = await c.send(token, 'email', 'alice@example.com', '{"elements": [');
    expect(r.body.code).toBe(230099);
    expect(r.body.msg).toContain('ErrCode: 200621');
  });

  it('refuses a card over 30 KB with 230025', async () => {
    const big = sharedCard('x'.repeat(31 * 1024));
    const r = await c.send(token, 'email', 'alice@example.com', big);
    expect([r.status, r.body.code]).toEqual([400, 230025]);
  });

  it('refuses content that is not a string, and missing fields', async () => {
    const notString = await c.call('POST', '/open-apis/im/v1/messages?receive_id_type=email', { receive_id: 'alice@example.com', msg_type: 'interactive', content: { elements: [] } }, token);
    expect([notString.status, notString.body.code]).toEqual([400, 9499]);
    expect(notString.body.msg).toContain('content');
    const missing = await c.call('POST', '/open-apis/im/v1/messages?receive_id_type=email', { msg_type: 'interactive', content: '{}' }, token);
    expect(missing.body.code).toBe(99992402);
    expect(missing.body.error.field_violations[0].field).toBe('receive_id');
    const noType = await c.call('POST', '/open-apis/im/v1/messages', { receive_id: 'x', msg_type: 'text', content: '{"text":"x"}' }, token);
    expect(noType.body.error.field_violations[0].field).toBe('receive_id_type');
  });

  it('answers unknown and unreachable receivers with the platform codes', async () => {
    expect((await c.send(token, 'open_id', 'ou_0000000000000000', sharedCard())).body.code).toBe(99992351);
    expect((await c.send(token, 'email', 'nobody@example.com', sharedCard())).body.code).toBe(230013);
    expect((await c.send(token, 'email', 'dave@example.com', sharedCard())).body.code).toBe(230013);
    // Anything given as a chat_id is looked up as a chat: 230001 with ext=invalid receive_id.
    for (const id of ['not-a-chat-id', 'ou_0000000000000000']) {
      const r = (await c.send(token, 'chat_id', id, sharedCard())).body;
      expect([r.code, r.msg]).toEqual([230001, 'Your request contains an invalid request parameter, ext=invalid receive_id']);
    }
    expect((await c.send(token, 'open_id', 'oc_wrongshape', sharedCard())).body.code).toBe(230034);
    expect((await c.send(token, 'chat_id', 'oc_0000000000000000', sharedCard())).body.code).toBe(230002);
  });
});

describe('PATCH and GET im/v1/messages/:id', () => {
  it('updates a shared card and GET returns the new content', async () => {
    const sent = (await c.send(token, 'chat_id', seededChat(), sharedCard('before'))).body.data;
    const p = await c.call('PATCH', `/open-apis/im/v1/messages/${sent.message_id}`, { content: JSON.stringify(sharedCard('after')) }, token);
    expect(p.body).toMatchObject({ code: 0, data: {} });
    const got = await c.call('GET', `/open-apis/im/v1/messages/${sent.message_id}`, undefined, token);
    // By default GET shows the platform's digest of a card; user_card_content gives the card JSON.
    // For a 2.0 card that digest is only the "upgrade your client" placeholder.
    expect(got.body.data.items[0]).toMatchObject({ message_id: sent.message_id, updated: true });
    expect(JSON.parse(got.body.data.items[0].body.content).elements[0]).toEqual([{ tag: 'text', text: '请升级至最新版本客户端，以查看内容' }]);
    const raw = await c.call('GET', `/open-apis/im/v1/messages/${sent.message_id}?card_msg_content_type=user_card_content`, undefined, token);
    expect(JSON.parse(raw.body.data.items[0].body.content)).toEqual(sharedCard('after'));
    expect(c.emu.messages()[0]!.versions.map((v) => v.via)).toEqual(['create', 'patch']);
  });

  it('refuses to patch a non-shared 1.0 card, explaining update_multi', async () => {
    const sent = (await c.send(token, 'chat_id', seededChat(), legacyCard('x', false))).body.data;
    const r = await c.call('PATCH', `/open-apis/im/v1/messages/${sent.message_id}`, { content: JSON.stringify(legacyCard('y', true)) }, token);
    expect([r.status, r.body.code]).toEqual([400, 230001]);
    expect(r.body.msg).toContain('update_multi');
    const shared = (await c.send(token, 'chat_id', seededChat(), legacyCard('x', true))).body.data;
    const toUnshared = await c.call('PATCH', `/open-apis/im/v1/messages/${shared.message_id}`, { content: JSON.stringify(legacyCard('y', false)) }, token);
    expect(toUnshared.body.msg).toContain('the new card');
  });

  it('refuses recalled, foreign, old and unknown messages', async () => {
    const sent = (await c.send(token, 'chat_id', seededChat(), sharedCard())).body.data;
    const content = JSON.stringify(sharedCard('new'));
    await c.call('POST', '/_emulator/clock', { advance_seconds: 15 * 24 * 3600 });
    token = await c.token();
    expect((await c.call('PATCH', `/open-apis/im/v1/messages/${sent.message_id}`, { content }, token)).body.code).toBe(230031);
    await c.call('POST', `/_emulator/messages/${sent.message_id}/recall`);
    expect((await c.call('PATCH', `/open-apis/im/v1/messages/${sent.message_id}`, { content }, token)).body.code).toBe(230011);
    expect((await c.call('PATCH', '/open-apis/im/v1/messages/om_unknown', { content }, token)).body.code).toBe(230001);
  });
});

describe('POST interactive/v1/card/update (delayed update)', () => {
  async function sentWithToken(card: unknown) {
    const sent = (await c.send(token, 'chat_id', seededChat(), card)).body.data;
    const t = await c.call('POST', '/_emulator/card-tokens', { message_id: sent.message_id, open_id: alice().open_id });
    return { messageId: sent.message_id as string, cardToken: t.body.data.token as string };
  }
  const update = (cardToken: string, card: unknown) => c.call('POST', '/open-apis/interactive/v1/card/update', { token: cardToken, card }, token);

  it('updates with a callback token twice, then refuses with 300040', async () => {
    const { messageId, cardToken } = await sentWithToken(sharedCard('v1'));
    expect((await update(cardToken, sharedCard('v2'))).body).toEqual({ code: 0, msg: 'ok' });
    expect((await update(cardToken, sharedCard('v3'))).body.code).toBe(0);
    expect((await update(cardToken, sharedCard('v4'))).body.code).toBe(300040);
    expect((c.emu.messages().find((m) => m.message_id === messageId)!.card as any).body.elements[0].content).toBe('v3');
  });

  it('expires tokens after 30 minutes and checks their format', async () => {
    const { cardToken } = await sentWithToken(sharedCard());
    expect((await update('not-a-token', sharedCard())).body.code).toBe(300020);
    await c.call('POST', '/_emulator/clock', { advance_seconds: 31 * 60 });
    token = await c.token();
    expect((await update(cardToken, sharedCard())).body.code).toBe(300030);
  });

  it('needs open_ids for a non-shared 1.0 card and refuses them for a shared one', async () => {
    const { messageId, cardToken } = await sentWithToken(legacyCard('a', false));
    expect((await update(cardToken, legacyCard('b', false))).body.code).toBe(300090);
    const ok = await update(cardToken, { ...legacyCard('b', false), open_ids: [alice().open_id] });
    expect(ok.body.code).toBe(0);
    const stored = c.emu.messages().find((m) => m.message_id === messageId)!;
    expect(Object.keys(stored.user_views)).toEqual([alice().open_id]);
    const shared = await sentWithToken(legacyCard('a', true));
    expect((await update(shared.cardToken, { ...legacyCard('b', true), open_ids: [alice().open_id] })).body.code).toBe(200320);
  });

  it('refuses to turn a 2.0 card into a 1.0 card with 200830', async () => {
    const { cardToken } = await sentWithToken(sharedCard());
    expect((await update(cardToken, legacyCard('b', true))).body.code).toBe(200830);
  });
});

describe('batch messages belong to the app that sent them', () => {
  it('answers 230030 to an unknown batch and 230012 to another app, on progress and recall alike', async () => {
    await c.restart({ seed: { apps: [{ app_id: 'cli_b1', app_secret: 's1' }, { app_id: 'cli_b2', app_secret: 's2' }], users: [{ name: 'A', email: 'alice@example.com' }] } });
    token = await c.token();
    const r = await c.call('POST', '/open-apis/message/v4/batch_send/', { msg_type: 'interactive', card: sharedCard(), open_ids: [alice().open_id] }, token);
    expect(r.body.code).toBe(0);
    const batch = r.body.data.message_id;
    const other = await c.token(1);
    for (const method of ['GET', 'DELETE']) {
      const path = (id: string) => (method === 'GET' ? `/open-apis/im/v1/batch_messages/${id}/get_progress` : `/open-apis/im/v1/batch_messages/${id}`);
      expect((await c.call(method, path('bm_unknown'), undefined, token)).body.code, method).toBe(230030);
      expect((await c.call(method, path(batch), undefined, other)).body.code, method).toBe(230012);
    }
    expect((await c.call('DELETE', `/open-apis/im/v1/batch_messages/${batch}`, undefined, token)).body.code).toBe(0);
  });
});
