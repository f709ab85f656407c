import { describe, expect, it } from 'vitest';
import { applyFormStep, chooseAction, clickAction, formAction, isFormStep, type FilledForms } from '../../src/testing/actions.js';

/** The shared rules on their own: what each in-form action comes to, before anything is sent. */
const plain = (content: string) => ({ tag: 'plain_text', content });
const card = {
  schema: '2.0',
  body: {
    elements: [{
      tag: 'form',
      name: 'f',
      elements: [
        { tag: 'checker', text: plain('Unnamed') },
        { tag: 'checker', name: 'ok', checked: true, text: plain('OK') },
        { tag: 'select_static', name: 'size', options: [{ text: plain('Small'), value: 's' }] },
        { tag: 'button', name: 'clear', text: plain('Clear'), form_action_type: 'reset' },
        { tag: 'button', name: 'go', text: plain('Go'), form_action_type: 'submit', behaviors: [{ type: 'callback', value: { go: 1 } }] },
      ],
    }],
  },
};

describe('form steps', () => {
  it('a checker in a form without a name is refused rather than sent on its own', () => {
    expect(() => clickAction(card, 'om_1', { text: 'Unnamed' }, [])).toThrow(/checker "Unnamed" sits in a form but has no name/);
  });

  it('ticking starts from the checker\'s own state, then from what was filled; submit carries the fill; reset drops it', () => {
    const filled: FilledForms = {};
    const untick = clickAction(card, 'om_1', { text: 'OK' }, [], filled);
    expect(isFormStep(untick) && untick.kind === 'fill' ? untick.value : 'sent').toBe(false);
    if (isFormStep(untick)) applyFormStep(filled, untick);
    const choose = chooseAction(card, 'om_1', { name: 'size' }, 'Small', []);
    if (isFormStep(choose)) applyFormStep(filled, choose);
    expect(filled).toEqual({ f: { ok: false, size: 's' } });
    expect(formAction(card, 'om_1', {}, { filled }, []).action).toEqual({ tag: 'button', name: 'go', value: { go: 1 }, form_value: { ok: false, size: 's' } });
    const reset = clickAction(card, 'om_1', { text: 'Clear' }, [], filled);
    expect(reset).toMatchObject({ kind: 'reset', form: 'f' });
    if (isFormStep(reset)) applyFormStep(filled, reset);
    expect(filled).toEqual({});
  });
});
