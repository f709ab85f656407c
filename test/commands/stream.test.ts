import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { emulatorEnv, Sandbox } from '../helpers/cli.js';
import { FakeClock } from '../helpers/clock.js';

/** `card stream` against the emulator: text arriving in pieces, sequences, Ctrl-C, flags. */
let emu: RunningEmulator;
let sandbox: Sandbox;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  sandbox = new Sandbox(emulatorEnv(emu.url, emu.state().apps[0]!));
});
beforeEach(() => emu.reset());
afterAll(async () => {
  await emu.close();
  sandbox.cleanup();
});

interface Live {
  write(text: string): void;
  end(): void;
  signal(sig: 'SIGINT' | 'SIGTERM'): void;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** The CLI with stdin held open, so a test can feed it in pieces. */
function live(args: string[], sb = sandbox, clock?: FakeClock): Live {
  const cli = sb.start(args, { clock });
  return { write: cli.write, end: () => cli.end(), signal: cli.stop, exit: cli.result };
}

async function entities(): Promise<any[]> {
  const r = await fetch(`${emu.url}/_emulator/cardkit/cards`).then((x) => x.json() as Promise<any>);
  return r.data.cards;
}

const textOf = (card: any, id = 'stream_text'): string => card.body.elements.find((e: any) => e.element_id === id)?.content;

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function cardkitCalls() {
  return emu.requests().filter((r) => r.path.startsWith('/open-apis/cardkit/v1/cards/'));
}

describe('card stream', () => {
  it('streams stdin arriving in several chunks; the card ends complete and the sequence never repeats', async () => {
    const alice = emu.state().users[0]!;
    const cli = live(['stream', '--to', alice.email!, '--title', 'Build log', '--interval', '100', '--json']);
    const chunks = ['first line\n', 'second ', 'line\n', 'third line, the end'];
    let sofar = '';
    for (const chunk of chunks) {
      cli.write(chunk);
      sofar += chunk;
      const expected = sofar;
      // Each piece shows in the card before the next is written: the text really streams.
      await until(`"${expected}" in the card`, async () => (await entities()).find((c) => textOf(c.card) === expected));
    }
    cli.end();
    const { code, stdout } = await cli.exit;
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.ok).toBe(true);

    const [entity] = await entities();
    expect(entity.card_id).toBe(out.data.card_id);
    expect(entity.message_id).toBe(out.data.message_id);
    expect(textOf(entity.card)).toBe(chunks.join(''));
    expect(entity.streaming_mode).toBe(false);
    expect(entity.card.header.title.content).toBe('Build log');
    expect(entity.card.config.summary.content).toBe('first line second line third line, the end');

    const calls = cardkitCalls();
    expect(calls.every((c) => c.code === 0)).toBe(true);
    const sequences = calls.map((c) => (c.body as any).sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(calls.filter((c) => c.path.endsWith('/content')).length).toBeGreaterThanOrEqual(chunks.length);
    // The last call closes streaming.
    expect(calls.at(-1)!.path).toMatch(/\/settings$/);
    expect(out.data.last_sequence).toBe(sequences.at(-1));

    // The message carries the entity, and shows its final state.
    const message = emu.messages().find((m) => m.message_id === out.data.message_id)!;
    expect(textOf(message.card)).toBe(chunks.join(''));
  });

  it('keeps to the interval: many small writes become few updates, none refused', async () => {
    // The CLI and an emulator of its own share a clock that moves only when told: the spacing
    // checked is exact, whatever the load on the machine.
    const clock = new FakeClock();
    const own = await startEmulator({ port: 0, now: () => clock.now() });
    const sb = new Sandbox(emulatorEnv(own.url, own.state().apps[0]!));
    try {
      const cli = sb.start(['stream', '--to', own.state().users[0]!.open_id, '--interval', '300'], { clock });
      await until('streaming to start', async () => cli.stderr().includes('Streaming into'));
      const started = clock.now();
      for (let i = 0; i < 40; i++) {
        cli.write(`${i} `);
        // Let the CLI read the text and a push that fell due go out, then move 15 ms on.
        await new Promise((r) => setTimeout(r, 5));
        clock.advance(15);
      }
      cli.end();
      clock.auto();
      const { code, stderr } = await cli.result;
      expect(code, stderr).toBe(0);
      const elapsed = clock.now() - started;
      const pushes = own.requests().filter((c) => c.path.startsWith('/open-apis/cardkit/v1/cards/') && c.path.endsWith('/content'));
      expect(pushes.every((c) => c.code === 0)).toBe(true);
      // At most one per 300 ms, the last one included, and far fewer than the writes.
      expect(pushes.length).toBeGreaterThanOrEqual(2);
      expect(pushes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 300) + 1);
      const times = pushes.map((p) => Date.parse(p.time));
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(300);
      const cards = (await fetch(`${own.url}/_emulator/cardkit/cards`).then((x) => x.json() as Promise<any>)).data.cards;
      expect(textOf(cards[0].card)).toBe(Array.from({ length: 40 }, (_, i) => `${i} `).join(''));
    } finally {
      await own.close();
      sb.cleanup();
    }
  });

  it('on Ctrl-C sends what it has, closes streaming, and exits 0', async () => {
    const alice = emu.state().users[0]!;
    const cli = live(['stream', '--to', alice.open_id, '--interval', '100', '--json']);
    cli.write('partial answer, still thinking');
    await until('the text in the card', async () => (await entities()).find((c) => textOf(c.card) === 'partial answer, still thinking'));
    const [before] = await entities();
    expect(before.streaming_mode).toBe(true);
    cli.signal('SIGINT');
    const { code, stdout } = await cli.exit;
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.data.interrupted).toBe(true);
    const [after] = await entities();
    expect(after.streaming_mode).toBe(false);
    expect(textOf(after.card)).toBe('partial answer, still thinking');
  });

  it('streams a command\'s output, stripped of terminal control characters', async () => {
    const alice = emu.state().users[0]!;
    const script = "process.stdout.write('\\u001b[32mok\\u001b[0m step 1\\n'); setTimeout(() => { process.stderr.write('warn: step 2\\u0007\\n'); process.exit(3); }, 200)";
    const r = await sandbox.run(['stream', '--to', alice.open_id, '--json', '--', process.execPath, '-e', script]);
    // The command failed (3): stream closes the card, then exits 5 with the command's code in the details.
    expect(r.code).toBe(5);
    expect(r.json.error.details.command_exit_code).toBe(3);
    expect(textOf((await entities())[0].card)).toBe('ok step 1\nwarn: step 2\n');
  });

  it('refuses a command that cannot start before making any card', async () => {
    const r = await sandbox.run(['stream', '--to', emu.state().users[0]!.open_id, '--json', '--', 'no-such-command-for-card-stream']);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toContain('cannot run no-such-command-for-card-stream');
    expect(await entities()).toEqual([]);
  });

  it('streams into an element of your own card', async () => {
    const file = join(sandbox.dir, 'answer.json');
    writeFileSync(file, JSON.stringify({ schema: '2.0', header: { title: { tag: 'plain_text', content: 'Q&A' } }, body: { elements: [{ tag: 'markdown', content: 'Q: why?' }, { tag: 'markdown', content: '', element_id: 'answer' }] } }));
    const r = await sandbox.run(['stream', '--to', emu.state().users[0]!.open_id, '--card', file, '--element-id', 'answer', '--json'], { input: 'Because.' });
    expect(r.code).toBe(0);
    const [entity] = await entities();
    expect(textOf(entity.card, 'answer')).toBe('Because.');
    expect(entity.card.body.elements[0].content).toBe('Q: why?');
    expect(entity.card.config.streaming_mode).toBe(false);
  });

  it('says what is wrong with the flags or the card, before anything is sent', async () => {
    const to = ['--to', emu.state().users[0]!.open_id];
    const file = join(sandbox.dir, 'old.json');
    writeFileSync(file, JSON.stringify({ elements: [{ tag: 'markdown', content: 'x', element_id: 'a' }] }));
    const v2 = join(sandbox.dir, 'v2.json');
    writeFileSync(v2, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'button', element_id: 'btn', text: { tag: 'plain_text', content: 'b' } }] } }));
    const cases: Array<[string[], RegExp]> = [
      [[], /--to <receiver> or --reply-to/],
      [[...to, '--card', v2], /--card needs --element-id/],
      [[...to, '--interval', '10'], /--interval must be/],
      [[...to, '--card', file, '--element-id', 'a'], /old\.json: card entities are JSON 2\.0/],
      [[...to, '--card', v2, '--element-id', 'nope'], /v2\.json: no element has "element_id": "nope"/],
      [[...to, '--card', v2, '--element-id', 'btn'], /v2\.json: element "btn" is a button/],
    ];
    for (const [args, message] of cases) {
      const r = await sandbox.run(['stream', ...args, '--json'], { input: 'text' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.json.error.message).toMatch(message);
    }
    expect(await entities()).toEqual([]);
  });

  it('sends the card as a reply with --reply-to, in the thread with --in-thread', async (t) => {
    const alice = emu.state().users[0]!;
    const first = await sandbox.run(['send', '-', '--to', alice.open_id, '--json'], { input: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'question' }] } }) });
    expect(first.code).toBe(0);
    const parent = first.json.data.messages[0].message_id;
    // The reply route comes with the messages work; until it is in, there is nothing to reply through.
    const probe = await fetch(`${emu.url}/open-apis/im/v1/messages/${parent}/reply`, { method: 'POST' }).then((r) => r.json() as Promise<any>);
    if (probe.code === 404) t.skip();
    const r = await sandbox.run(['stream', '--reply-to', parent, '--in-thread', '--json'], { input: 'the answer' });
    expect(r.code, r.stderr).toBe(0);
    const reply = emu.messages().find((m) => m.message_id === r.json.data.message_id)!;
    expect(reply.receive_id).toBe(parent);
    expect(textOf(reply.card)).toBe('the answer');
    const [entity] = await entities();
    expect(entity.message_id).toBe(reply.message_id);
  });

  it('lints --card with CardKit\'s rules first: errors stop it (exit 5); with --no-lint the platform refuses it (exit 1)', async () => {
    const file = join(sandbox.dir, 'lint.json');
    writeFileSync(file, JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: '', element_id: 'answer', colour: 'red' }] } }));
    const to = ['--to', emu.state().users[0]!.open_id, '--card', file, '--element-id', 'answer', '--json'];
    const r = await sandbox.run(['stream', ...to], { input: 'text' });
    expect(r.code).toBe(5);
    expect(r.json.error.message).toContain('lint error');
    expect(r.json.error.hint).toMatch(/lint\.json:1:\d+ .*colour/);
    expect(await entities()).toEqual([]);
    const anyway = await sandbox.run(['stream', ...to, '--no-lint'], { input: 'text' });
    expect(anyway.code).toBe(1);
    expect(anyway.json.error.code).toBe(200220);
    expect(anyway.json.error.message).toContain('colour');
    expect(await entities()).toEqual([]);
  });

  it('closes a card with no input as "(no output)"', async () => {
    const r = await sandbox.run(['stream', '--to', emu.state().users[0]!.open_id, '--json'], { input: '' });
    expect(r.code).toBe(0);
    const [entity] = await entities();
    expect(textOf(entity.card)).toBe('(no output)');
    expect(entity.streaming_mode).toBe(false);
  });
});
