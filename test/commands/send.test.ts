import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';
import { FIXTURES } from '../helpers/cli.js';

const t = emulatorForFile();
const APPROVAL = join(FIXTURES, 'cards/approval.v2.json');
const approvalCard = () => JSON.parse(readFileSync(APPROVAL, 'utf8'));
const SEND_PATH = '/open-apis/im/v1/messages';


const sends = () => t.emu.requests().filter((r) => r.path === SEND_PATH);

describe('card send', () => {
  it('sends an inline card file; the emulator holds exactly that card', async () => {
    const r = await t.sb.run(['send', APPROVAL, '--to', 'alice@example.com']);
    expect(r.code).toBe(0);
    const [messageId, chatId, to] = r.stdout.trim().split('\t');
    expect(messageId).toMatch(/^om_/);
    expect(to).toBe('alice@example.com');
    const stored = t.emu.messages();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ message_id: messageId, chat_id: chatId, receive_id_type: 'email', msg_type: 'interactive' });
    expect(stored[0]!.card).toEqual(approvalCard());
    expect(r.stderr).toContain(`Sent ${APPROVAL} to alice@example.com`);
  });

  it('a second send in a new process makes exactly one HTTP request', async () => {
    await t.sb.run(['send', APPROVAL, '--to', 'alice@example.com']);
    const before = t.emu.requests().length;
    const r = await t.sb.run(['send', APPROVAL, '--to', t.emu.state().users[0]!.open_id]);
    expect(r.code).toBe(0);
    expect(t.emu.requests().slice(before).map((q) => q.path)).toEqual([SEND_PATH]);
  });

  it('refreshes an expired cached token transparently and retries once', async () => {
    await t.sb.run(['token']);
    // The platform expires the token early (revoked, or its clock ran ahead): the cache does not know.
    await fetch(`${t.emu.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advance_seconds: 7300 }) });
    const r = await t.sb.run(['send', APPROVAL, '--to', 'bob@example.com', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.data.messages).toHaveLength(1);
    const paths = t.emu.requests().map((q) => `${q.path} ${q.code}`);
    expect(paths.slice(-3)).toEqual([`${SEND_PATH} 99991663`, '/open-apis/auth/v3/tenant_access_token/internal 0', `${SEND_PATH} 0`]);
  });

  it('reads the card from stdin', async () => {
    const r = await t.sb.run(['send', '-', '--to', t.emu.state().chats[0]!.chat_id, '--json'], { input: JSON.stringify({ elements: [{ tag: 'hr' }] }) });
    expect(r.code).toBe(0);
    expect(r.json.data.card).toBe('<stdin>');
    expect(t.emu.messages()[0]!.card).toEqual({ elements: [{ tag: 'hr' }] });
  });

  it('sends a template with --var and --vars, rendered by the emulator', async () => {
    const vars = join(t.sb.dir, 'vars.json');
    writeFileSync(vars, JSON.stringify({ applicant: 'From file', amount: 1 }));
    const r = await t.sb.run(['send', '--template', 'AAqDemoApprov', '--template-version', '1.0.0', '--vars', vars, '--var', 'amount=99', '--var', 'title=Hello there', '--to', 'bob@example.com', '--json']);
    expect(r.code).toBe(0);
    const card = t.emu.messages()[0]!.card as any;
    expect(card.header.title.content).toBe('Hello there');
    expect(card.body.elements[0].content).toBe('**Applicant:** From file\n**Amount:** 99');
    expect(t.emu.requests().find((q) => q.path === SEND_PATH)!.body).toMatchObject({
      content: JSON.stringify({ type: 'template', data: { template_id: 'AAqDemoApprov', template_version_name: '1.0.0', template_variable: { applicant: 'From file', amount: 99, title: 'Hello there' } } }),
    });
  });

  it('resolves every receiver in one lookup before sending, and sends to each', async () => {
    const r = await t.sb.run(['send', APPROVAL, '--to', 'alice@example.com', '--to', '+8613800000002', '--to', t.emu.state().chats[0]!.chat_id, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.data.messages.map((m: any) => m.receive_id_type)).toEqual(['open_id', 'open_id', 'chat_id']);
    expect(t.emu.requests().filter((q) => q.path.endsWith('batch_get_id'))).toHaveLength(1);
    const uuids = r.json.data.messages.map((m: any) => m.uuid);
    expect(new Set(uuids).size).toBe(3);
    expect(uuids.every((u: string) => u.startsWith(r.json.data.uuid))).toBe(true);
  });

  it('never sends twice for the same --uuid', async () => {
    const a = await t.sb.run(['send', APPROVAL, '--to', 'alice@example.com', '--uuid', 'deploy-42', '--json']);
    const b = await t.sb.run(['send', APPROVAL, '--to', 'alice@example.com', '--uuid', 'deploy-42', '--json']);
    expect(b.json.data.messages[0].message_id).toBe(a.json.data.messages[0].message_id);
    expect(t.emu.messages()).toHaveLength(1);
  });

  it('stops before sending anything when one receiver is unknown', async () => {
    const r = await t.sb.run(['send', APPROVAL, '--to', 'alice@example.com', '--to', 'ghost@example.com', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.message).toContain('ghost@example.com');
    expect(r.json.error.hint).toContain('Nothing was sent');
    expect(sends()).toHaveLength(0);
  });

  it('refuses a receiver of no known shape with exit 2, before any request', async () => {
    const r = await t.sb.run(['send', APPROVAL, '--to', 'alice']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('receiver "alice"');
    expect(t.emu.requests()).toHaveLength(0);
    const typed = await t.sb.run(['send', APPROVAL, '--to', t.emu.state().users[0]!.user_id, '--to-type', 'user_id']);
    expect(typed.code).toBe(0);
  });

  it('names file, line and column of invalid card JSON, with exit 2', async () => {
    const bad = join(t.sb.dir, 'bad.json');
    writeFileSync(bad, '{\n  "elements": [\n    {"tag": "hr",}\n  ]\n}\n');
    const r = await t.sb.run(['send', bad, '--to', 'alice@example.com', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toBe(`${bad}:3:18: invalid JSON: Expected double-quoted property name`);
    expect(r.json.error.details).toEqual({ file: bad, line: 3, column: 18 });
    const human = await t.sb.run(['send', bad, '--to', 'alice@example.com']);
    expect(human.stderr).toContain('3 |     {"tag": "hr",}');
    expect(t.emu.requests()).toHaveLength(0);
  });

  it('lints before sending: an oversized card stops with exit 5 and nothing sent; --no-lint lets the platform judge', async () => {
    const big = join(t.sb.dir, 'big.json');
    writeFileSync(big, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x'.repeat(40_000) }] } }));
    const r = await t.sb.run(['send', big, '--to', 'alice@example.com', '--json']);
    expect(r.code).toBe(5);
    expect(r.json.error.message).toContain('1 lint error; nothing was sent');
    expect(r.json.error.details.problems[0]).toMatchObject({ rule: 'card-size', line: 1, column: 1 });
    expect(t.emu.requests()).toHaveLength(0);
    const unchecked = await t.sb.run(['send', big, '--to', 'alice@example.com', '--no-lint', '--json']);
    expect(unchecked.code).toBe(1);
    expect(unchecked.json.error.code).toBe(230025);
  });

  it('shows lint warnings and still sends', async () => {
    const legacy = join(t.sb.dir, 'legacy.json');
    writeFileSync(legacy, JSON.stringify({ config: { wide_screen_mode: true }, elements: [{ tag: 'hr' }] }));
    const r = await t.sb.run(['send', legacy, '--to', 'alice@example.com']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wide_screen_mode is deprecated');
    expect(t.emu.messages()).toHaveLength(1);
  });

  it('reports bot not in chat with exit 1, the code and a hint', async () => {
    const r = await t.sb.run(['send', APPROVAL, '--to', 'oc_0000000000000000', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error).toMatchObject({ type: 'api', code: 230002 });
    expect(r.json.error.hint).toContain('not a member');
  });

  it('surfaces the 230099 sub-code for a template the platform cannot build', async () => {
    const r = await t.sb.run(['send', '--template', 'AAqNoSuchTmpl', '--to', 'alice@example.com', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe(230099);
    expect(r.json.error.details.sub_code).toBe(200380);
  });

  it('--dry-run prints the exact request and sends nothing', async () => {
    const r = await t.sb.run(['send', APPROVAL, '--to', 'alice@example.com', '--uuid', 'k1', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`POST ${t.emu.url}/open-apis/im/v1/messages?receive_id_type=email`);
    expect(r.stdout).toContain('authorization: Bearer <tenant_access_token: redacted>');
    const body = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    expect(body).toEqual({ receive_id: 'alice@example.com', msg_type: 'interactive', content: JSON.stringify(approvalCard()), uuid: 'k1' });
    expect(t.emu.requests()).toHaveLength(0);
  });

  it('reports a half-done multi-receiver send with what went out and how to finish', async () => {
    const r = await t.sb.run(['send', APPROVAL, '--to', 'alice@example.com', '--to', 'oc_0000000000000000', '--uuid', 'half', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.details.sent).toHaveLength(1);
    expect(r.json.error.hint).toContain('--uuid half');
  });
});

describe('card update', () => {
  async function sent(card = APPROVAL) {
    const r = await t.sb.run(['send', card, '--to', t.emu.state().chats[0]!.chat_id, '--json']);
    return r.json.data.messages[0].message_id as string;
  }

  it('patches a shared card', async () => {
    const id = await sent();
    const r = await t.sb.run(['update', id, join(FIXTURES, 'cards/approved.v2.json'), '--json']);
    expect(r.code).toBe(0);
    expect(r.json.data).toEqual({ message_id: id, card: join(FIXTURES, 'cards/approved.v2.json'), updated: true });
    expect((t.emu.messages()[0]!.card as any).header.subtitle.content).toBe('Approved');
  });

  it('stops locally when the new 1.0 card is not shared', async () => {
    const id = await sent();
    const v1 = join(t.sb.dir, 'v1.json');
    writeFileSync(v1, JSON.stringify({ elements: [{ tag: 'hr' }] }));
    const r = await t.sb.run(['update', id, v1]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('update_multi');
  });

  it('explains the PATCH rules when the platform refuses', async () => {
    const id = await sent();
    await fetch(`${t.emu.url}/_emulator/messages/${id}/recall`, { method: 'POST' });
    const r = await t.sb.run(['update', id, APPROVAL, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe(230011);
    expect(r.json.error.hint).toContain('PATCH rules');
    expect((await t.sb.run(['update', 'not-an-id', APPROVAL])).code).toBe(2);
  });
});
