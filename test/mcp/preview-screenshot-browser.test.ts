import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';
import { mcpSession, type Session } from '../helpers/mcp.js';

/**
 * The pictures `card mcp` returns as image content: preview_card and inbox_screenshot, drawn by the
 * browser card ships (started once per server). The first run on a machine unpacks it: allow for it.
 */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const cardOf = (text: string) => ({ schema: '2.0', header: { title: { tag: 'plain_text', content: '审批' } }, body: { elements: [{ tag: 'markdown', content: text }] } });

const sb = new Sandbox();
let s: Session;
beforeAll(async () => {
  s = await mcpSession(sb);
});
afterAll(async () => {
  await s?.close();
  sb.cleanup();
});

describe('card mcp pictures', () => {
  it('preview_card returns a PNG of a Chinese card whose glyphs are drawn, with the lint report; inbox_screenshot shows the sent card', { timeout: 180_000 }, async () => {
    const chinese = '请假申请两天年假';
    const drawn = await s.call('preview_card', { card: cardOf(chinese) });
    expect(drawn.isError, drawn.text).toBe(false);
    expect(drawn.image!.subarray(0, 8)).toEqual(PNG);
    expect(drawn.image!.readUInt32BE(16)).toBeGreaterThan(500); // width at 2x
    expect(drawn.data).toMatchObject({ schema: '2.0', missing_glyphs: [], lint: { ok: true, errors: 0 } });
    // The same card with characters no font has: had Chinese been drawn as boxes, the two pictures would be the same.
    const boxes = await s.call('preview_card', { card: cardOf('\u{10FFFD}'.repeat([...chinese].length)) });
    expect(boxes.data.missing_glyphs).toEqual(['\u{10FFFD}']);
    expect(drawn.image!.equals(boxes.image!)).toBe(false);

    const broken = await s.call('preview_card', { card: { schema: '2.0', body: { elements: [{ tag: 'button', text: 3 }] } } });
    expect(broken.image).not.toBeNull();
    expect(broken.data.lint.problems.map((p: any) => p.pointer)).toContain('/body/elements/0/text');

    const { data: emu } = await s.call('start_emulator', {});
    const sent = await s.call('send_card', { card: cardOf(chinese), to: emu.chats[0].chat_id });
    const one = await s.call('inbox_screenshot', { message_id: sent.data.message_id });
    expect(one.isError, one.text).toBe(false);
    expect(one.data).toEqual({ message_id: sent.data.message_id, chat_id: emu.chats[0].chat_id });
    expect(one.image!.subarray(0, 8)).toEqual(PNG);
    const whole = await s.call('inbox_screenshot', {});
    expect(whole.image!.readUInt32BE(16)).toBe(1200);
    expect(whole.image!.length).toBeGreaterThan(one.image!.length);
  });
});
