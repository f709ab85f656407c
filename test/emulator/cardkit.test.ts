import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';

/** CardKit element operations in detail, over raw HTTP: nesting, batches, and what a refusal leaves. */
const api = emulatorForFile({ settings: { rateLimits: false } });
let token: string;

beforeEach(async () => {
  token = await api.token();
});

const base = {
  schema: '2.0',
  body: {
    elements: [
      { tag: 'markdown', content: 'intro', element_id: 'intro' },
      {
        tag: 'column_set',
        element_id: 'cols',
        columns: [{ tag: 'column', element_id: 'left', elements: [{ tag: 'markdown', content: 'L', element_id: 'l_text' }] }],
      },
      { tag: 'collapsible_panel', element_id: 'panel', header: { title: { tag: 'plain_text', content: 'More' } }, elements: [{ tag: 'markdown', content: 'inside', element_id: 'inside' }] },
    ],
  },
};

async function create(card: unknown = base): Promise<string> {
  const r = await api.call('POST', '/open-apis/cardkit/v1/cards', { type: 'card_json', data: JSON.stringify(card) }, token);
  expect(r.body.code).toBe(0);
  return r.body.data.card_id;
}

async function cardOf(cardId: string): Promise<any> {
  const r = await fetch(`${api.emu.url}/_emulator/cardkit/cards`).then((x) => x.json() as Promise<any>);
  return r.data.cards.find((c: any) => c.card_id === cardId);
}

const ids = (elements: any[]): string[] => elements.map((e) => e.element_id);

describe('CardKit elements in the emulator', () => {
  it('inserts before and after nested elements, appends into containers, and deletes a container with its children', async () => {
    const id = await create();
    const add = (sequence: number, type: string, target: string | undefined, elements: unknown[]) =>
      api.call('POST', `/open-apis/cardkit/v1/cards/${id}/elements`, { type, target_element_id: target, elements: JSON.stringify(elements), sequence }, token);
    expect((await add(1, 'insert_before', 'l_text', [{ tag: 'markdown', content: 'L0', element_id: 'l_zero' }])).body.code).toBe(0);
    expect((await add(2, 'insert_after', 'intro', [{ tag: 'hr', element_id: 'rule' }])).body.code).toBe(0);
    expect((await add(3, 'append', 'panel', [{ tag: 'markdown', content: 'more', element_id: 'more' }])).body.code).toBe(0);
    expect((await add(4, 'append', 'cols', [{ tag: 'column', element_id: 'right', elements: [] }])).body.code).toBe(0);
    expect((await add(5, 'append', undefined, [{ tag: 'markdown', content: 'end', element_id: 'end' }])).body.code).toBe(0);
    let card = (await cardOf(id)).card;
    expect(ids(card.body.elements)).toEqual(['intro', 'rule', 'cols', 'panel', 'end']);
    expect(ids(card.body.elements[2].columns)).toEqual(['left', 'right']);
    expect(ids(card.body.elements[2].columns[0].elements)).toEqual(['l_zero', 'l_text']);
    expect(ids(card.body.elements[3].elements)).toEqual(['inside', 'more']);

    const del = await api.call('DELETE', `/open-apis/cardkit/v1/cards/${id}/elements/panel`, { sequence: 6 }, token);
    expect(del.body.code).toBe(0);
    card = (await cardOf(id)).card;
    expect(ids(card.body.elements)).toEqual(['intro', 'rule', 'cols', 'end']);
    // Its children went with it: their ids are free again.
    expect((await add(7, 'append', undefined, [{ tag: 'markdown', content: 'again', element_id: 'inside' }])).body.code).toBe(0);
  });

  it('patch renames an element with element_id; replace keeps the id the path names', async () => {
    const id = await create();
    const patch = await api.call('PATCH', `/open-apis/cardkit/v1/cards/${id}/elements/intro`, { partial_element: JSON.stringify({ element_id: 'opening', content: 'Hi' }), sequence: 1 }, token);
    expect(patch.body.code).toBe(0);
    // The result is checked by the same rules as a sent card: plain_text alone is no body component.
    const refused = await api.call('PUT', `/open-apis/cardkit/v1/cards/${id}/elements/inside`, { element: JSON.stringify({ tag: 'plain_text', content: 'plain' }), sequence: 2 }, token);
    expect(refused.body.code).toBe(200220);
    const put = await api.call('PUT', `/open-apis/cardkit/v1/cards/${id}/elements/inside`, { element: JSON.stringify({ tag: 'div', text: { tag: 'plain_text', content: 'plain' } }), sequence: 2 }, token);
    expect(put.body.code).toBe(0);
    const card = (await cardOf(id)).card;
    expect(card.body.elements[0]).toMatchObject({ element_id: 'opening', content: 'Hi' });
    expect(card.body.elements[2].elements[0]).toEqual({ element_id: 'inside', tag: 'div', text: { tag: 'plain_text', content: 'plain' } });
  });

  it('a batch is all or nothing, and a refused batch leaves its sequence unused', async () => {
    const id = await create();
    const batch = (sequence: number, actions: unknown[]) =>
      api.call('POST', `/open-apis/cardkit/v1/cards/${id}/batch_update`, { sequence, actions: JSON.stringify(actions) }, token);
    const refused = await batch(1, [
      { action: 'partial_update_element', params: { element_id: 'intro', partial_element: { content: 'changed' } } },
      { action: 'delete_elements', params: { element_ids: ['missing'] } },
    ]);
    expect(refused.body.code).toBe(300314);
    const after = await cardOf(id);
    expect(after.card.body.elements[0].content).toBe('intro');
    expect(after.sequence).toBe(0);
    const ok = await batch(1, [
      { action: 'partial_update_setting', params: { settings: { config: { streaming_mode: true } } } },
      { action: 'update_element', params: { element_id: 'intro', element: { tag: 'markdown', content: 'new intro' } } },
    ]);
    expect(ok.body.code).toBe(0);
    const now = await cardOf(id);
    expect(now.streaming_mode).toBe(true);
    expect(now.card.body.elements[0]).toMatchObject({ element_id: 'intro', content: 'new intro' });
    expect((await batch(2, [{ action: 'explode', params: {} }])).body.code).toBe(10002);
  });

  it('refuses bad ids, bad JSON in string fields, and text past 100 000 characters', async () => {
    const id = await create({ schema: '2.0', config: { streaming_mode: true }, body: { elements: [{ tag: 'markdown', content: '', element_id: 'md' }] } });
    expect((await api.call('POST', '/open-apis/cardkit/v1/cards', { type: 'card_json', data: '{"schema":' }, token)).body.code).toBe(10002);
    expect((await api.call('POST', '/open-apis/cardkit/v1/cards', { type: 'card_json', data: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x', element_id: '1bad' }] } }) }, token)).body.code).toBe(10002);
    expect((await api.call('PUT', `/open-apis/cardkit/v1/cards/${'9'.repeat(21)}/elements/md/content`, { content: 'x', sequence: 1 }, token)).body.code).toBe(10002);
    const long = await api.call('PUT', `/open-apis/cardkit/v1/cards/${id}/elements/md/content`, { content: 'x'.repeat(100_001), sequence: 1 }, token);
    expect(long.body.code).toBe(99992402);
    const full = await api.call('PUT', `/open-apis/cardkit/v1/cards/${id}/elements/md/content`, { content: 'x'.repeat(100_000), sequence: 1 }, token);
    expect(full.body.code).toBe(0);
    expect((await api.call('PATCH', `/open-apis/cardkit/v1/cards/${id}/settings`, { settings: '{"header":{}}', sequence: 2 }, token)).body.code).toBe(300122);
  });

  it('id_convert turns a 2.0 card sent inline into an entity bound to its message; a 1.0 card is refused', async () => {
    const user = api.users[0]!.open_id;
    const sent = await api.send(token, 'open_id', user, { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'inline', element_id: 'md' }] } });
    const conv = await api.call('POST', '/open-apis/cardkit/v1/cards/id_convert', { message_id: sent.body.data.message_id }, token);
    expect(conv.body.code).toBe(0);
    const cardId = conv.body.data.card_id;
    const again = await api.call('POST', '/open-apis/cardkit/v1/cards/id_convert', { message_id: sent.body.data.message_id }, token);
    expect(again.body.data.card_id).toBe(cardId);
    const patch = await api.call('PATCH', `/open-apis/cardkit/v1/cards/${cardId}/elements/md`, { partial_element: '{"content":"converted"}', sequence: 1 }, token);
    expect(patch.body.code).toBe(0);
    const got = await api.call('GET', `/open-apis/im/v1/messages/${sent.body.data.message_id}?card_msg_content_type=user_card_content`, undefined, token);
    expect(JSON.parse(got.body.data.items[0].body.content).body.elements[0].content).toBe('converted');
    const old = await api.send(token, 'open_id', user, { elements: [{ tag: 'div', text: { tag: 'plain_text', content: 'v1' } }] });
    expect((await api.call('POST', '/open-apis/cardkit/v1/cards/id_convert', { message_id: old.body.data.message_id }, token)).body.code).toBe(300303);
  });

  it('gives the inbox what it needs to type a stream out: speed, strategy, summary and text', async () => {
    const card = {
      schema: '2.0',
      config: { streaming_mode: true, streaming_config: { print_frequency_ms: { default: 50, pc: 30 }, print_step: { default: 3 }, print_strategy: 'delay' } },
      body: { elements: [{ tag: 'markdown', content: '', element_id: 'md' }] },
    };
    const id = await create(card);
    const chat = api.emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id;
    await api.send(token, 'chat_id', chat, { type: 'card', data: { card_id: id } });
    await api.call('PUT', `/open-apis/cardkit/v1/cards/${id}/elements/md/content`, { content: 'typing', sequence: 1 }, token);
    const view = async () => (await fetch(`${api.emu.url}/_emulator/inbox/messages?chat_id=${chat}`).then((r) => r.json() as Promise<any>)).data.messages[0].stream;
    expect(await view()).toEqual({ card_id: id, streaming: true, summary: '[生成中...]', frequency_ms: 30, step: 3, strategy: 'delay', elements: [{ element_id: 'md', text: 'typing' }] });
    await api.call('PATCH', `/open-apis/cardkit/v1/cards/${id}/settings`, { settings: JSON.stringify({ config: { streaming_mode: false, summary: { content: 'done' } } }), sequence: 2 }, token);
    expect(await view()).toMatchObject({ streaming: false, summary: 'done' });
  });

  it('needs the cardkit scope', async () => {
    const narrow = await api.token(1);
    const r = await api.call('POST', '/open-apis/cardkit/v1/cards', { type: 'card_json', data: JSON.stringify(base) }, narrow);
    expect(r.body.code).toBe(99991672);
    expect(r.body.msg).toContain('cardkit:card:write');
  });

  it('pages its control list of entities like every /_emulator/ list', async () => {
    const made = [await create(), await create(), await create()];
    const seen: string[] = [];
    let pageToken: string | null = null;
    let pages = 0;
    do {
      const q: string = pageToken ? `?page_size=2&page_token=${pageToken}` : '?page_size=2';
      const r = (await fetch(`${api.emu.url}/_emulator/cardkit/cards${q}`).then((x) => x.json())) as any;
      seen.push(...r.data.cards.map((c: any) => c.card_id));
      expect(r.data.has_more).toBe(r.data.page_token !== null);
      pageToken = r.data.page_token;
      pages++;
    } while (pageToken);
    expect(seen).toEqual(made);
    expect(pages).toBe(2);
  });
});
