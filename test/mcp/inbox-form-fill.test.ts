import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';
import { mcpSession, type Session } from '../helpers/mcp.js';
import { startWsBot, type WsBot } from '../helpers/ws-sdk.js';

/**
 * `card mcp` keeps a form's fill for the session, as the testing library does: inbox_choose on a
 * select inside a form sends nothing and says what the form holds; inbox_fill submits it all.
 * A real `card` process (dist/, after `npm run build`) over stdio, a bot on the official WSClient.
 */
const sb = new Sandbox();
let s: Session;
let bot: WsBot | null = null;
beforeAll(async () => {
  s = await mcpSession(sb);
});
afterAll(async () => {
  bot?.close();
  await s?.close();
  sb.cleanup();
});

const plain = (content: string) => ({ tag: 'plain_text', content });

describe('card mcp and forms', () => {
  it('inbox_choose inside a form fills it and sends nothing; inbox_fill then sends every field', async () => {
    const state = (await s.call('start_emulator', {})).data;
    const actions: any[] = [];
    bot = await startWsBot(state.url, state.apps[0], {
      'card.action.trigger': async (data: any) => {
        actions.push(data.action);
        return { toast: { type: 'info', content: 'got it' } };
      },
    });
    const card = {
      schema: '2.0',
      body: {
        elements: [{
          tag: 'form',
          name: 'leave',
          elements: [
            { tag: 'select_static', name: 'kind', placeholder: plain('Kind'), options: [{ text: plain('Sick'), value: 'sick' }, { text: plain('Trip'), value: 'trip' }] },
            { tag: 'input', name: 'reason', default_value: 'none', placeholder: plain('Reason') },
            { tag: 'button', name: 'send', text: plain('Submit'), form_action_type: 'submit', behaviors: [{ type: 'callback', value: { act: 'leave' } }] },
          ],
        }],
      },
    };
    const { data: sent } = await s.call('send_card', { card, to: state.chats[0].chat_id });
    const chosen = await s.call('inbox_choose', { message_id: sent.message_id, target: 'kind', option: 'Trip' });
    expect(chosen.data).toMatchObject({ ok: true, status: null, toast: null, form: { name: 'leave', values: { kind: 'trip' } } });
    expect(actions).toEqual([]);
    const filled = await s.call('inbox_fill', { message_id: sent.message_id, values: {}, submit: 'Submit' });
    expect(filled.data).toMatchObject({ ok: true, toast: { content: 'got it' } });
    expect(actions).toEqual([expect.objectContaining({ value: { act: 'leave' }, form_value: { kind: 'trip', reason: 'none' } })]);
  });
});
