import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, type SeedFile } from '../../../src/emulator/seed.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/** The default company, and a third app whose range is Sales, Platform and two people. */
function seedWithRange(): SeedFile {
  const seed = loadDefaultSeed();
  seed.apps.push({
    app_id: 'cli_range0000000003',
    app_secret: 'emu-range-secret-not-real',
    contact_range: { departments: ['sales', 'platform'], users: ['carol@example.com', 'dave@example.com'] },
  });
  return seed;
}

const { t, sdk } = sdkForFile({ seed: seedWithRange() });
const RANGED = 2;
const person = (email: string) => t.users.find((u) => u.email === email)!;

describe('GET /open-apis/contact/v3/scopes', () => {
  it('lists the whole organisation as department "0"', async () => {
    const r = await answer(sdk().contact.scope.list({}));
    expect(r.body).toMatchObject({ code: 0, data: { department_ids: ['0'], user_ids: [], group_ids: [], has_more: false } });
  });

  it('lists a partial range in the id types asked for, page by page', async () => {
    const first = await answer(sdk(RANGED).contact.scope.list({ params: { department_id_type: 'department_id', user_id_type: 'user_id', page_size: 3 } }));
    expect(first.body.data).toMatchObject({ department_ids: ['sales', 'platform'], user_ids: [person('carol@example.com').user_id], has_more: true });
    const rest = await answer(sdk(RANGED).contact.scope.list({ params: { department_id_type: 'department_id', user_id_type: 'user_id', page_size: 3, page_token: first.body.data.page_token } }));
    expect(rest.body.data).toMatchObject({ department_ids: [], user_ids: [person('dave@example.com').user_id], has_more: false });
  });

  it('refuses a forged page token and an app without a contact scope', async () => {
    const forged = await answer(sdk().contact.scope.list({ params: { page_token: 'x' } }));
    expect(forged.body.code).toBe(40012);
    const narrow = await answer(sdk(1).contact.scope.list({}));
    expect(narrow.body.code).toBe(99991672);
  });
});
