import { describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';

/** The inbox page's feed shows mentions by the names of the emulator's people (cards and text), escaped. */
const t = emulatorForFile({ settings: { rateLimits: false } });

describe('inbox feed: mentions by name', () => {
  it('names known people in cards and text messages; unknown ids stay', async () => {
    const alice = t.users.find((u: any) => u.email === 'alice@example.com')!;
    const bob = t.users.find((u: any) => u.email === 'bob@example.com')!;
    const token = await t.token();
    const card = await t.send(token, 'email', 'alice@example.com', { schema: '2.0', body: { elements: [{ tag: 'markdown', content: `ping <at id=${bob.open_id}></at> <at id=ou_stranger></at>` }] } });
    expect(card.body.code).toBe(0);
    const chat = card.body.data.chat_id as string;
    const text = await t.call('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', { receive_id: chat, msg_type: 'text', content: JSON.stringify({ text: `hi <at user_id="${alice.open_id}"></at>` }) }, token);
    expect(text.body.code).toBe(0);
    const feed = (await t.call('GET', `/_emulator/inbox/messages?chat_id=${chat}`)).body.data.messages;
    const shownCard = feed.find((m: any) => m.message_id === card.body.data.message_id);
    expect(shownCard.html).toContain(`<span class="md-at" data-at="${bob.open_id}">@${bob.name}</span> <span class="md-at" data-at="ou_stranger">@ou_stranger</span>`);
    expect(feed.find((m: any) => m.message_id === text.body.data.message_id).text).toBe(`hi @${alice.name}`);
  });
});
