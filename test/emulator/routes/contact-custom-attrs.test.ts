import { describe, expect, it } from 'vitest';
import { loadDefaultSeed } from '../../../src/emulator/seed.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();
const NARROW = 1;

describe('GET /open-apis/contact/v3/custom_attrs', () => {
  it("lists the tenant's custom fields, which the users' values name", async () => {
    const r = await answer(sdk().contact.customAttr.list({}));
    expect(r.body.code).toBe(0);
    const items = r.body.data.items;
    expect(items.map((a: any) => [a.id, a.type])).toEqual([['C-desk-phone', 'TEXT'], ['C-homepage', 'HREF'], ['C-shirt-size', 'ENUMERATION']]);
    expect(items[0].i18n_name).toEqual([{ locale: 'zh_cn', value: '座机' }, { locale: 'en_us', value: 'Desk phone' }]);
    expect(items[2].options).toEqual({ default_option_id: 'M', option_type: 'TEXT', options: [{ id: 'S', value: 'S' }, { id: 'M', value: 'M' }, { id: 'L', value: 'L' }] });
    const alice = await answer(sdk().contact.user.get({ path: { user_id: t.users.find((u) => u.email === 'alice@example.com')!.open_id } }));
    for (const v of alice.body.data.user.custom_attrs) expect(items.find((a: any) => a.id === v.id)?.type).toBe(v.type);
  });

  it('pages, and without definitions in the seed lists the fields the users carry', async () => {
    const page = await answer(sdk().contact.customAttr.list({ params: { page_size: 2 } }));
    expect(page.body.data.has_more).toBe(true);
    const next = await answer(sdk().contact.customAttr.list({ params: { page_size: 2, page_token: page.body.data.page_token } }));
    expect(next.body.data.items.map((a: any) => a.id)).toEqual(['C-shirt-size']);
    const seed = loadDefaultSeed();
    delete seed.custom_attrs;
    await t.restart({ seed });
    const derived = await answer(sdk().contact.customAttr.list({}));
    expect(derived.body.data.items).toEqual([{ id: 'C-desk-phone', type: 'TEXT', i18n_name: [] }]);
  });

  it('needs a contact read scope', async () => {
    expect((await answer(sdk(NARROW).contact.customAttr.list({}))).body.code).toBe(99991672);
  });
});
