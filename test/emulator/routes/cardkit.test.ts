import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/**
 * The CardKit entries of the catalogue, route by route: a success through the official SDK, read
 * back from the emulator's state, and a refusal by the route's schema naming the field. The rules
 * themselves are tested in depth in test/emulator/cardkit*.test.ts.
 */
const { t, sdk } = sdkForFile();

const BASE = '/open-apis/cardkit/v1/cards';

const card = (extra: Record<string, unknown> = {}) => ({
  schema: '2.0',
  config: { streaming_mode: true },
  body: { elements: [{ tag: 'markdown', content: 'start', element_id: 'answer' }, { tag: 'column_set', element_id: 'cols', columns: [] }] },
  ...extra,
});

async function create(c: unknown = card()): Promise<string> {
  const r = await answer(sdk().cardkit.v1.card.create({ data: { type: 'card_json', data: JSON.stringify(c) } }));
  expect(r.body.code).toBe(0);
  return r.body.data.card_id;
}

const entity = (cardId: string) => t.emu.core.store.cardkit.entities.get(cardId)!;
const elements = (cardId: string) => (entity(cardId).card.body as { elements: Array<Record<string, unknown>> }).elements;

/** The gateway's answer to a field its schema refuses: 99992402 with the field named. */
function refusedField(r: { status: number; body: any }, field: string) {
  expect(r.status).toBe(400);
  expect(r.body.code).toBe(99992402);
  expect(r.body.error.field_violations[0].field).toBe(field);
  return r.body.error.field_violations[0].description as string;
}

describe('POST /open-apis/cardkit/v1/cards', () => {
  it('creates an entity owned by the calling app, at sequence 0, streaming as its card says', async () => {
    const id = await create();
    expect(id).toMatch(/^\d{19}$/);
    expect(entity(id)).toMatchObject({ app_id: t.app.app_id, sequence: 0, message_id: null });
    expect(entity(id).streaming_since).toBe(entity(id).created_at);
  });

  it('refuses a type it does not know and a missing data, naming the field', async () => {
    const type = await answer(sdk().cardkit.v1.card.create({ data: { type: 'card_jsn', data: JSON.stringify(card()) } }));
    expect(refusedField(type, 'type')).toContain('card_json, template');
    refusedField(await answer(sdk().cardkit.v1.card.create({ data: { type: 'card_json' } as any })), 'data');
  });
});

describe('PATCH /open-apis/cardkit/v1/cards/:card_id/settings', () => {
  it('merges config into the card and counts the sequence', async () => {
    const id = await create();
    const r = await answer(sdk().cardkit.v1.card.settings({ path: { card_id: id }, data: { settings: JSON.stringify({ config: { streaming_mode: false, summary: { content: 'Done' } } }), sequence: 3 } }));
    expect(r.body.code).toBe(0);
    expect(entity(id).card.config).toMatchObject({ streaming_mode: false, summary: { content: 'Done' } });
    expect(entity(id).sequence).toBe(3);
    expect(entity(id).streaming_since).toBeNull();
  });

  it('refuses a missing sequence (99992402) and a sequence sent as text (9499), naming it', async () => {
    const id = await create();
    refusedField(await answer(sdk().cardkit.v1.card.settings({ path: { card_id: id }, data: { settings: '{"config":{}}' } as any })), 'sequence');
    const text = await t.call('PATCH', `${BASE}/${id}/settings`, { settings: '{"config":{}}', sequence: '1' }, await t.token());
    expect([text.status, text.body.code]).toEqual([400, 9499]);
    expect(text.body.msg).toContain('sequence');
    expect(entity(id).sequence).toBe(0);
  });
});

describe('PUT /open-apis/cardkit/v1/cards/:card_id', () => {
  it('replaces the whole card', async () => {
    const id = await create();
    const next = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'replaced', element_id: 'only' }] } };
    const r = await answer(sdk().cardkit.v1.card.update({ path: { card_id: id }, data: { card: { type: 'card_json', data: JSON.stringify(next) }, sequence: 1 } }));
    expect(r.body.code).toBe(0);
    expect(elements(id)).toEqual([{ tag: 'markdown', content: 'replaced', element_id: 'only' }]);
    expect(entity(id).streaming_since).toBeNull();
  });

  it('refuses a card whose type is not card_json, naming card.type', async () => {
    const id = await create();
    const r = await answer(sdk().cardkit.v1.card.update({ path: { card_id: id }, data: { card: { type: 'template', data: '{}' }, sequence: 1 } as any }));
    refusedField(r, 'card.type');
  });
});

describe('POST /open-apis/cardkit/v1/cards/id_convert', () => {
  it('turns a 2.0 card sent inline into an entity bound to its message', async () => {
    const sent = await t.send(await t.token(), 'open_id', t.users[0]!.open_id, card());
    const messageId = sent.body.data.message_id;
    const r = await answer(sdk().cardkit.v1.card.idConvert({ data: { message_id: messageId } }));
    expect(r.body.code).toBe(0);
    expect(entity(r.body.data.card_id).message_id).toBe(messageId);
    // Asked again, the same entity.
    expect((await answer(sdk().cardkit.v1.card.idConvert({ data: { message_id: messageId } }))).body.data.card_id).toBe(r.body.data.card_id);
  });

  it('refuses a missing message_id, naming it', async () => {
    refusedField(await answer(sdk().cardkit.v1.card.idConvert({ data: {} as any })), 'message_id');
  });
});

describe('POST /open-apis/cardkit/v1/cards/:card_id/batch_update', () => {
  it('applies its actions in order', async () => {
    const id = await create();
    const actions = [
      { action: 'add_elements', params: { type: 'insert_after', target_element_id: 'answer', elements: [{ tag: 'markdown', content: 'note', element_id: 'note' }] } },
      { action: 'partial_update_element', params: { element_id: 'note', partial_element: { content: 'noted' } } },
    ];
    const r = await answer(sdk().cardkit.v1.card.batchUpdate({ path: { card_id: id }, data: { actions: JSON.stringify(actions), sequence: 1 } }));
    expect(r.body.code).toBe(0);
    expect(elements(id).map((e) => [e.element_id, e.content])).toEqual([['answer', 'start'], ['note', 'noted'], ['cols', undefined]]);
  });

  it('refuses a missing actions, naming it', async () => {
    const id = await create();
    refusedField(await answer(sdk().cardkit.v1.card.batchUpdate({ path: { card_id: id }, data: { sequence: 1 } as any })), 'actions');
  });
});

describe('POST /open-apis/cardkit/v1/cards/:card_id/elements', () => {
  it('appends into a container', async () => {
    const id = await create();
    const column = [{ tag: 'column', elements: [{ tag: 'markdown', content: 'c1', element_id: 'c1' }] }];
    const r = await answer(sdk().cardkit.v1.cardElement.create({ path: { card_id: id }, data: { type: 'append', target_element_id: 'cols', elements: JSON.stringify(column), sequence: 1 } }));
    expect(r.body.code).toBe(0);
    expect(elements(id)[1]!.columns).toEqual(column);
  });

  it('refuses a type it does not know, naming it and the types it takes', async () => {
    const id = await create();
    const r = await answer(sdk().cardkit.v1.cardElement.create({ path: { card_id: id }, data: { type: 'prepend' as 'append', elements: '[{"tag":"hr"}]', sequence: 1 } }));
    expect(refusedField(r, 'type')).toContain('insert_before, insert_after, append');
  });
});

describe('PUT /open-apis/cardkit/v1/cards/:card_id/elements/:element_id', () => {
  it('replaces the element, keeping the id the path names', async () => {
    const id = await create();
    const r = await answer(sdk().cardkit.v1.cardElement.update({ path: { card_id: id, element_id: 'answer' }, data: { element: JSON.stringify({ tag: 'markdown', content: 'new' }), sequence: 1 } }));
    expect(r.body.code).toBe(0);
    expect(elements(id)[0]).toEqual({ element_id: 'answer', tag: 'markdown', content: 'new' });
  });

  it('refuses an empty element, naming it', async () => {
    const id = await create();
    const r = await answer(sdk().cardkit.v1.cardElement.update({ path: { card_id: id, element_id: 'answer' }, data: { element: '', sequence: 1 } }));
    expect(refusedField(r, 'element')).toBe('element must not be empty');
  });
});

describe('PATCH /open-apis/cardkit/v1/cards/:card_id/elements/:element_id', () => {
  it('changes the properties it is given', async () => {
    const id = await create();
    const r = await answer(sdk().cardkit.v1.cardElement.patch({ path: { card_id: id, element_id: 'answer' }, data: { partial_element: '{"content":"patched","text_size":"heading"}', sequence: 1 } }));
    expect(r.body.code).toBe(0);
    expect(elements(id)[0]).toMatchObject({ tag: 'markdown', content: 'patched', text_size: 'heading' });
  });

  it('refuses a uuid past 64 characters, naming it', async () => {
    const id = await create();
    const r = await answer(sdk().cardkit.v1.cardElement.patch({ path: { card_id: id, element_id: 'answer' }, data: { partial_element: '{"content":"x"}', sequence: 1, uuid: 'u'.repeat(65) } }));
    refusedField(r, 'uuid');
    expect(elements(id)[0]!.content).toBe('start');
  });
});

describe('PUT /open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content', () => {
  it('sets the full text of a markdown element while streaming', async () => {
    const id = await create();
    for (const [i, text] of ['Hel', 'Hello'].entries()) {
      const r = await answer(sdk().cardkit.v1.cardElement.content({ path: { card_id: id, element_id: 'answer' }, data: { content: text, sequence: i + 1 } }));
      expect(r.body.code).toBe(0);
    }
    expect(elements(id)[0]!.content).toBe('Hello');
    expect(entity(id).streamed_elements.has('answer')).toBe(true);
  });

  it('refuses empty content (the docs: 1 to 100,000 characters), naming it', async () => {
    const id = await create();
    const r = await answer(sdk().cardkit.v1.cardElement.content({ path: { card_id: id, element_id: 'answer' }, data: { content: '', sequence: 1 } }));
    expect(refusedField(r, 'content')).toBe('content must not be empty');
  });
});

describe('DELETE /open-apis/cardkit/v1/cards/:card_id/elements/:element_id', () => {
  it('removes the element', async () => {
    const id = await create();
    const r = await answer(sdk().cardkit.v1.cardElement.delete({ path: { card_id: id, element_id: 'cols' }, data: { sequence: 1 } }));
    expect(r.body.code).toBe(0);
    expect(elements(id).map((e) => e.element_id)).toEqual(['answer']);
  });

  it('refuses a negative sequence, naming it', async () => {
    const id = await create();
    const r = await answer(sdk().cardkit.v1.cardElement.delete({ path: { card_id: id, element_id: 'cols' }, data: { sequence: -1 } }));
    expect(refusedField(r, 'sequence')).toBe('sequence must be at least 0');
    expect(elements(id)).toHaveLength(2);
  });
});
