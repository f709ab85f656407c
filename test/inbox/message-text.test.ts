import { describe, expect, it } from 'vitest';
import { cardText, mentionsByName, textWithMentions } from '../../src/inbox/message-text.js';

const names = new Map([['ou_a', 'Alice']]);

describe('messages as text for card inbox', () => {
  it('a card: title and subtitle apart, the rest as the testing library reads it', () => {
    const t = cardText(
      {
        header: { title: { tag: 'plain_text', content: 'Hi' }, subtitle: { tag: 'plain_text', content: 'sub' } },
        elements: [
          { tag: 'div', text: { tag: 'lark_md', content: '<at id=ou_a></at>: **now**' } },
          { tag: 'img', img_key: 'k', alt: { tag: 'plain_text', content: 'a cat' } },
          { tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: 'Go' } }] },
        ],
      },
      names,
    );
    expect(t).toEqual({ title: 'Hi', subtitle: 'sub', lines: ['@Alice: now', '[image: a cat]', '[Go]'] });
  });

  it('stays bounded on a long card', () => {
    const long = cardText({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x\n'.repeat(5000) }] } }, names);
    expect(long.lines).toHaveLength(400);
  });

  it('a text message: @_user_N keys and <at> tags as names', () => {
    expect(textWithMentions('@_user_1 hi', [{ key: '@_user_1', name: 'Bot' }])).toBe('@Bot hi');
    expect(mentionsByName('<at user_id="ou_a"></at> and <at id=ou_x>Xu</at>', names)).toBe('@Alice and @Xu');
  });
});
