import { describe, expect, it } from 'vitest';
import { enforceCardRules, errPathOf } from '../../src/emulator/card-rules.js';
import { PlatformError } from '../../src/emulator/http.js';
import { cardSource } from '../../src/card/check.js';
import { depthExceeds } from '../../src/card/json-limits.js';
import { checkContentWithRules } from '../../src/emulator/card-content.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { Store } from '../../src/emulator/store.js';

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

describe('what the emulator learns from a card text before the rules walk the card', () => {
  // A callback value is any JSON object, so a card can nest as deep as a sender likes there.
  const nested = (levels: number) => {
    let value: Record<string, unknown> = { leaf: true };
    // The card, body, elements, the button, behaviors, the behavior and value are 7 levels.
    for (let i = 7; i < levels; i++) value = { a: value };
    return { schema: '2.0', body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'Go' }, behaviors: [{ type: 'callback', value }] }] } };
  };

  it('measures depth in the text as depthExceeds does in the parsed card', () => {
    for (let levels = 20; levels < 80; levels++) {
      const card = nested(levels);
      const text = JSON.stringify(card);
      expect(cardSource(text, text.length).shallow).toBe(depthExceeds(card) === null);
    }
    expect(cardSource(JSON.stringify(nested(64)), 1).shallow).toBe(true);
    expect(cardSource(JSON.stringify(nested(65)), 1).shallow).toBe(false);
  });

  it('rules out placeholders only when the text cannot hold one', () => {
    expect(cardSource('{"a":"${x}"}', 1).placeholders).toBe(true);
    expect(cardSource('{"a":"\\u0024{x}"}', 1).placeholders).toBe(true);
    expect(cardSource('{"a":"$ {x} $"}', 1).placeholders).toBe(false);
  });

  it('refuses a sent card nested past the lint limit, and one far past it unparsed', () => {
    const store = new Store(loadDefaultSeed(), 0);
    const app = [...store.apps.values()][0]!;
    const send = (card: unknown) => {
      try {
        checkContentWithRules(store, app, 'interactive', JSON.stringify(card));
        return null;
      } catch (e) {
        return (e as PlatformError).message;
      }
    };
    expect(send(nested(10))).toBeNull();
    expect(send(nested(70))).toMatch(/ErrCode: 200621; ErrPath: ROOT -> body -> elements -> \[0\]\(tag: button\) -> behaviors -> .*nests deeper than 64 levels/);
    expect(send(nested(200))).toMatch(/ErrCode: 200621; ErrMsg: .*ErrorValue: the JSON nests deeper than 128 levels/);
    // Measured as sent: a card small as text but far larger re-serialised (numbers written short) is still checked.
    const short = `{"schema":"2.0","body":{"elements":[${Array(6000).fill('1e20').join(',')}]}}`;
    expect(Buffer.byteLength(short)).toBeLessThan(30 * 1024);
    try {
      checkContentWithRules(store, app, 'interactive', short);
      expect.unreachable();
    } catch (e) {
      expect((e as PlatformError).message).toMatch(/ErrCode: 200621; .*must be an object/);
    }
  });
});
