import { describe, expect, it } from 'vitest';
import { enforceCardRules, errPathOf } from '../../src/emulator/card-rules.js';
import { PlatformError } from '../../src/emulator/http.js';

const refusal = async (card: Record<string, unknown>) => {
  try {
    enforceCardRules(card);
    return null;
  } catch (e) {
    return e as PlatformError;
  }
};

describe('the emulator card rules (card lint, answered as the platform answers)', () => {
  it('names places the way the platform does', () => {
    const card = { elements: [{ tag: 'div' }, { tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'bogus' }] }] }] };
    expect(errPathOf(card, '/elements/1/columns/0/elements/0/tag')).toBe('ROOT -> elements -> [1](tag: column_set) -> columns -> [0](tag: column) -> elements -> [0](tag: bogus) -> tag');
    expect(errPathOf(card, '')).toBe('ROOT');
  });

  it('passes a card lint passes, and refuses {} and lint errors with 230099 / 200621', async () => {
    expect(await refusal({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'ok' }] } })).toBeNull();
    const empty = await refusal({});
    expect([empty?.code, empty?.message]).toEqual([230099, expect.stringContaining('ErrCode: 200621;')]);
    const dup = await refusal({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'a', element_id: 'same' }, { tag: 'markdown', content: 'b', element_id: 'same' }] } });
    expect(dup?.code).toBe(230099);
    expect(dup?.message).toMatch(/ErrCode: 200621; ErrPath: ROOT -> body -> elements -> \[1\]\(tag: markdown\)/);
  });

  it('leaves warnings alone', async () => {
    // wide_screen_mode is deprecated (a lint warning), not refused by the platform.
    expect(await refusal({ config: { wide_screen_mode: true }, elements: [{ tag: 'div', text: { tag: 'plain_text', content: 'x' } }] })).toBeNull();
  });
});
