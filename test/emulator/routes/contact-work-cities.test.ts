import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();
const NARROW = 1;

describe('GET /open-apis/contact/v3/work_cities', () => {
  it("lists the tenant's work cities in pages, whose names are the users' city", async () => {
    const first = await answer(sdk().contact.workCity.list({ params: { page_size: 2 } }));
    expect(first.body.data.items.map((c: any) => c.work_city_id)).toEqual(['wc-shanghai', 'wc-beijing']);
    expect(first.body.data.has_more).toBe(true);
    const rest = await answer(sdk().contact.workCity.list({ params: { page_size: 2, page_token: first.body.data.page_token } }));
    expect(rest.body.data).toMatchObject({ items: [{ work_city_id: 'wc-san-francisco', name: 'San Francisco', status: true }], has_more: false });
    const names = [...first.body.data.items, ...rest.body.data.items].map((c: any) => c.name);
    for (const u of t.emu.core.store.users) expect(names).toContain(u.city);
  });

  it('needs a work-city or contact scope, and a page token of this list', async () => {
    expect((await answer(sdk(NARROW).contact.workCity.list({}))).body.code).toBe(99991672);
    expect((await answer(sdk().contact.workCity.list({ params: { page_token: Buffer.from('job_titles:1').toString('base64url') } }))).body.code).toBe(40012);
  });
});

describe('GET /open-apis/contact/v3/work_cities/:work_city_id', () => {
  it('returns a work city in every language, and names the id it does not know', async () => {
    const r = await answer(sdk().contact.workCity.get({ path: { work_city_id: 'wc-beijing' } }));
    expect(r.body.data.work_city).toEqual({ work_city_id: 'wc-beijing', name: 'Beijing', status: true, i18n_name: [{ locale: 'zh_cn', value: '北京' }, { locale: 'en_us', value: 'Beijing' }] });
    const none = await answer(sdk().contact.workCity.get({ path: { work_city_id: 'wc-atlantis' } }));
    expect([none.status, none.body.code]).toEqual([400, 99992402]);
    expect(none.body.error.field_violations[0]).toMatchObject({ field: 'work_city_id', value: 'wc-atlantis' });
    expect((await answer(sdk(NARROW).contact.workCity.get({ path: { work_city_id: 'wc-beijing' } }))).body.code).toBe(99991672);
  });
});
