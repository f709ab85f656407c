import { describe, expect, it } from 'vitest';
import { cardText, mentionsByName, textWithMentions } from '../../src/inbox/card-text.js';

const names = new Map([['ou_a', 'Alice']]);

describe('a card as text', () => {
  it('shows mentions by name, images by alt text, and leaves out what one acts on', () => {
    const t = cardText(
      {
        header: { title: { tag: 'plain_text', content: 'Hi' }, subtitle: { tag: 'plain_text', content: 'sub' } },
        elements: [
          { tag: 'div', text: { tag: 'lark_md', content: '<at id=ou_a></at> and <at id=all></at>: <font color=red>now</font>' }, fields: [{ text: { tag: 'lark_md', content: 'f1' } }] },
          { tag: 'img', img_key: 'k', alt: { tag: 'plain_text', content: 'a cat' } },
          { tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: 'Hidden' } }] },
        ],
      },
      names,
    );
    expect(t).toEqual({ title: 'Hi', subtitle: 'sub', lines: ['@Alice and @all: now', 'f1', '[image: a cat]'] });
  });

  it('stays bounded on a deep or long card', () => {
    let deep: any = { tag: 'markdown', content: 'bottom' };
    for (let i = 0; i < 500; i++) deep = { tag: 'column_set', columns: [{ tag: 'column', elements: [deep] }] };
    expect(cardText({ schema: '2.0', body: { elements: [deep] } }, names).lines).toEqual([]);
    const long = cardText({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x\n'.repeat(5000) }] } }, names);
    expect(long.lines).toHaveLength(400);
  });

  it('writes a text message\'s @_user_N keys as names', () => {
    expect(textWithMentions('@_user_1 hi', [{ key: '@_user_1', name: 'Bot' }])).toBe('@Bot hi');
    expect(mentionsByName('<at user_id="ou_x">Xu</at>', names)).toBe('@Xu');
  });
});
