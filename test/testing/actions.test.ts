import { describe, expect, it } from 'vitest';
import { ActionInputError, chooseAction, clickAction, formAction, judgeInteraction, targetFromText, type BuiltAction } from '../../src/testing/actions.js';

/** The rules the testing library and `card inbox` share: which element a target names, and what an action sends. */
const people = [{ open_id: 'ou_a', name: 'Alice', email: 'alice@example.com' }];
const card = {
  schema: '2.0',
  body: {
    elements: [
      { tag: 'button', element_id: 'go', text: { tag: 'plain_text', content: 'Go' }, behaviors: [{ type: 'callback', value: { go: 1 } }] },
      { tag: 'multi_select_static', element_id: 'tags', options: [{ text: { tag: 'plain_text', content: 'Red' }, value: 'r' }, { text: { tag: 'plain_text', content: 'Blue' }, value: 'b' }], behaviors: [{ type: 'callback', value: {} }] },
      {
        tag: 'form',
        name: 'f',
        elements: [
          { tag: 'multi_select_person', name: 'who' },
          { tag: 'checker', name: 'sure', text: { tag: 'plain_text', content: 'Sure' } },
          { tag: 'button', text: { tag: 'plain_text', content: 'Send' }, form_action_type: 'submit', behaviors: [{ type: 'callback', value: { send: 1 } }] },
        ],
      },
    ],
  },
};

describe('shared card actions', () => {
  it('reads a command-line target as #N, else an element_id the card has, else text', () => {
    expect(targetFromText(card, '#2')).toEqual({ index: 2 });
    expect(targetFromText(card, 'go')).toEqual({ elementId: 'go' });
    expect(targetFromText(card, 'Go')).toEqual({ text: 'Go' });
  });

  it('finds by number, and says when the number names another kind of element', () => {
    expect((clickAction(card, 'om_1', { index: 1 }, people) as BuiltAction).action).toEqual({ tag: 'button', value: { go: 1 } });
    expect(() => clickAction(card, 'om_1', { index: 2 }, people)).toThrow(/#2 in om_1 is multi_select_static element_id=tags, not a button, interactive container, checker/);
    const err = (() => {
      try {
        clickAction(card, 'om_1', { index: 9 }, people);
      } catch (e) {
        return e as ActionInputError;
      }
    })();
    expect(err).toBeInstanceOf(ActionInputError);
    expect(err!.message).toMatch(/^om_1 has no element #9; it has 5:/);
    expect(err!.available.map((l) => l.split(' ')[0])).toEqual(['#1', '#2', '#3', '#4', '#5']);
  });

  it('picks several options by text; a submit button pressed as a click submits its form', () => {
    expect((chooseAction(card, 'om_1', { elementId: 'tags' }, ['Blue', 'r'], people) as BuiltAction).action).toEqual({ tag: 'multi_select_static', value: {}, options: ['b', 'r'] });
    expect((clickAction(card, 'om_1', { text: 'Send' }, people) as BuiltAction).action).toEqual({ tag: 'button', value: { send: 1 }, form_value: { sure: false } });
  });

  it('reads form values typed as text: a,b lists, true/false checkers, people by email', () => {
    const built = formAction(card, 'om_1', { who: 'alice@example.com,Alice', sure: 'true' }, { fromText: true }, people);
    expect(built.action.form_value).toEqual({ who: ['ou_a', 'ou_a'], sure: true });
    expect(() => formAction(card, 'om_1', { who: 'nobody' }, { fromText: true }, people)).toThrow(/no seeded user "nobody"/);
  });

  it('judges an answer as replay-callback does', () => {
    expect(judgeInteraction({ ok: true, error: null, status: 200, problems: [], channel: 'http' })).toEqual({ ok: true, reasons: [] });
    expect(judgeInteraction({ ok: false, error: null, status: 500, problems: [{ path: '$', message: 'HTTP 500' }], channel: 'http' })).toEqual({ ok: false, reasons: ['$: HTTP 500'] });
    expect(judgeInteraction({ ok: false, error: null, status: null, problems: [], channel: 'http' }).reasons).toEqual(['the bot did not answer in time (the client allows 3 s)']);
    expect(judgeInteraction({ ok: false, error: 'nothing is listening', status: null, problems: [], channel: 'http' }).reasons).toEqual(['nothing is listening']);
    // The delivery log's reason, with the client's error, speaks for the whole answer; deeper problems follow it.
    const delivery = { verdict: 'failed' as const, reason: 'HTTP 500: boom', client_code: 200671 };
    const problems = [{ path: '$', message: 'HTTP 500: the platform needs HTTP 200' }, { path: '$.toast.type', message: 'not a toast type' }];
    expect(judgeInteraction({ ok: false, error: null, status: 500, problems, channel: 'http' }, delivery).reasons).toEqual(['HTTP 500: boom (the client shows error 200671)', '$.toast.type: not a toast type']);
  });
});
