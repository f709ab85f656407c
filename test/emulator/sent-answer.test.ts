import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/emulator/clock.js';
import { EmulatorCore } from '../../src/emulator/core.js';
import { extraOf } from '../../src/emulator/message-extras.js';
import { messageView, sentAnswer, storeMessage } from '../../src/emulator/routes/messages.js';
import { cardDigest, V2_DIGEST_LITERAL_TAIL, v2DigestLiteralHead } from '../../src/emulator/card-view.js';
import type { CardObject } from '../../src/card/inspect.js';
import { jsonString } from '../../src/emulator/json-string.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';

// The send's hand-written answer must say exactly what the generic serialiser says of the view.
describe("the send's answer", () => {
  const seed = { ...loadDefaultSeed(), tenant_key: 'tenant "quoted" \u2028 \u0007' };
  const core = new EmulatorCore(seed, {}, new Clock(() => 1_764_000_000_123));
  const app = [...core.store.apps.values()][0]!;
  const chat = [...core.store.chats.values()][0]!;
  const store = (content: string, card: Record<string, unknown> | null, inline: boolean, msgType = 'interactive') =>
    storeMessage({ core }, { app, chatId: chat.chat_id, msgType, content, card, inline, receiveId: chat.chat_id, receiveIdType: 'chat_id', uuid: null, now: core.now() });
  const generic = (m: ReturnType<typeof store>, justStored?: Record<string, unknown>) =>
    JSON.stringify({ code: 0, msg: 'success', data: messageView(core.store, m, 'digest', justStored) });

  it('matches JSON.stringify of the view for every kind of message', () => {
    const v2 = { schema: '2.0', header: { title: { tag: 'plain_text', content: 'Title "with" \\ quotes, 中文, 🎉 and \u0001' } }, body: { elements: [] } };
    const v1 = { header: { title: { content: '</script><b>x</b>' } }, elements: [{ tag: 'div', text: { tag: 'lark_md', content: 'line\nbreak\ttab' } }, { tag: 'hr' }] };
    const plain = { schema: '2.0', header: { title: { tag: 'plain_text', content: '审批 approval ✓' } }, body: { elements: [] } };
    const bare = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x' }] } };
    const cases = [
      store(JSON.stringify(v2), v2, true),
      store(JSON.stringify(plain), plain, true),
      store(JSON.stringify(bare), bare, true),
      store(JSON.stringify(v1), v1, false),
      store(JSON.stringify({ text: 'hi "there" \u2029' }), null, false, 'text'),
    ];
    const user = store(JSON.stringify({ text: '@_user_1 hello' }), null, false, 'text');
    user.sender_open_id = 'ou_"sender"';
    user.mentions = [{ key: '@_user_1', id: 'ou_x', id_type: 'open_id', name: 'Name "with" quotes' }];
    cases.push(user);
    const reply = store(JSON.stringify(v2), v2, true);
    Object.assign(extraOf(reply), { parent_id: cases[0]!.message_id, root_id: cases[0]!.message_id, thread_id: 'omt_"1"' });
    reply.updated = true;
    reply.update_time += 5;
    cases.push(reply);
    const recalled = store(JSON.stringify(v1), v1, false);
    recalled.deleted = true;
    cases.push(recalled);
    for (const m of cases) {
      expect(JSON.parse(sentAnswer(core.store, m).bytes.toString('utf8'))).toEqual(JSON.parse(generic(m)));
      expect(sentAnswer(core.store, m).bytes.toString('utf8')).toBe(generic(m));
    }
    // The route passes the card it has just parsed; the answer is the same as when it is read back.
    expect(sentAnswer(core.store, cases[0]!, v2).bytes.toString('utf8')).toBe(generic(cases[0]!, v2));
    expect(sentAnswer(core.store, cases[0]!, v2).bytes.toString('utf8')).toBe(generic(cases[0]!));
    expect(sentAnswer(core.store, cases[0]!).code).toBe(0);
  });
});

describe('strings written into answers by hand', () => {
  const tricky = ['', 'plain', 'quote " and \\ backslash', 'tab\tnew\nline \u0000 \u001f', 'del \u007f', '中文 ✓', 'pair 🎉', 'lone \ud83c high', 'lone \udf89 low', 'sep \u2028 \u2029', '</script>'];

  it('quote a string exactly as JSON.stringify does', () => {
    for (const s of tricky) expect(jsonString(s)).toBe(JSON.stringify(s));
  });

  // The digest's literal as the send's answer puts it together: the head, then the constant tail's bytes.
  const cardDigestLiteral = (card: CardObject) => {
    const head = v2DigestLiteralHead(card);
    return head === null ? JSON.stringify(cardDigest(card)) : head + V2_DIGEST_LITERAL_TAIL.toString('utf8');
  };

  it('give the digest of a card as JSON.stringify of the digest', () => {
    for (const title of tricky) {
      for (const card of [
        { schema: '2.0', header: { title: { tag: 'plain_text', content: title } }, body: { elements: [] } },
        { schema: '2.0', body: { elements: [] } },
        { header: { title: { content: title } }, elements: [{ tag: 'markdown', content: title }] },
      ]) expect(cardDigestLiteral(card)).toBe(JSON.stringify(cardDigest(card)));
    }
  });
});
