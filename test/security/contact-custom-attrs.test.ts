import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, validateSeed } from '../../src/emulator/seed.js';
import { answer, sdkForFile } from '../helpers/sdk.js';

/**
 * A person's custom field values come from an app's writes and the seed: only the platform's parts
 * are kept, strings of a bounded length, and a link is http(s), never javascript:.
 */
const { t, sdk } = sdkForFile({});
const alice = () => t.users.find((u) => u.email === 'alice@example.com')!;
const stored = (openId: string) => t.emu.core.store.users.find((u) => u.open_id === openId)!;
const patch = (custom_attrs: unknown) => answer(sdk(0).contact.user.patch({ path: { user_id: alice().open_id }, data: { custom_attrs } as any }));

describe('custom field values written by an app', () => {
  it('keep only the parts a value has, dropping the rest', async () => {
    const r = await patch([{ id: 'C-desk-phone', value: { text: '8101', junk: { deep: 'x'.repeat(10_000) } } }]);
    expect(r.body.code).toBe(0);
    expect(stored(alice().open_id).custom_attrs).toEqual([{ id: 'C-desk-phone', type: 'TEXT', value: { text: '8101' } }]);
  });

  it('refuse a link that is not http(s), and an over-long text, naming the part', async () => {
    const js = await patch([{ id: 'C-homepage', value: { text: 'home', url: 'javascript:alert(1)' } }]);
    expect(js.body.code).toBe(41048);
    expect(js.body.msg).toContain('custom_attrs[0].value.url');
    const long = await patch([{ id: 'C-desk-phone', value: { text: 'x'.repeat(5000) } }]);
    expect(long.body.code).toBe(41046);
    expect((await patch([{ id: 'C-homepage', value: { text: 'home', url: 'https://example.com/~alice' } }])).body.code).toBe(0);
  });
});

describe('custom field values in a seed', () => {
  it('name the JSON path of a link that is not http(s)', () => {
    const seed = loadDefaultSeed() as any;
    seed.users[0].custom_attrs = [{ id: 'C-homepage', type: 'HREF', value: { text: 'home', url: 'javascript:alert(1)' } }];
    expect(() => validateSeed(seed)).toThrow('$.users[0].custom_attrs[0].value.url must be an http(s) URL');
  });
});
