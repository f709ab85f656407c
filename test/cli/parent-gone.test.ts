import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CARD_BIN, emulatorEnv, Sandbox } from '../helpers/cli.js';
import { emulatorForFile } from '../helpers/emulator.js';

/**
 * Real processes: a wrapper (standing for npm/npx or a CI script) starts a long-running card
 * command, then is killed with SIGKILL; the command must notice its parent went away and exit.
 */
const t = emulatorForFile();
const sb = new Sandbox();
const started: number[] = [];
afterEach(() => {
  // Whatever a failed test left behind: only the processes this file started.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
afterAll(() => sb.cleanup());

/** Running, and not a zombie waiting for a parent that never reaps it. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Whether a process that is not our child (the card command under the killed wrapper) ends
 * within `ms`. Its exit cannot be awaited from here and the watch it runs checks its parent once
 * a second, so this is the one place a test looks at the process table on a short interval.
 */
async function gone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!running(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !running(pid);
}

/**
 * Starts `wrapper` (a node script) which spawns the card command and prints its pid, then the
 * command's own first line of stdout. `viaShell` puts a `sh -c` between them, as npm does.
 */
async function startWrapped(args: string[], env: Record<string, string>, viaShell = false, readFirst = true): Promise<{ wrapper: number; card: number; first: string }> {
  const quoted = [process.execPath, CARD_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = viaShell
    ? `const c = require('node:child_process').spawn('sh', ['-c', ${JSON.stringify(`${quoted}; true`)}], { stdio: ['ignore', 'inherit', 'inherit'] }); console.log(JSON.stringify({ shell: c.pid })); setInterval(() => {}, 1e6);`
    : `const c = require('node:child_process').spawn(process.execPath, ${JSON.stringify([CARD_BIN, ...args])}, { stdio: ['ignore', 'inherit', 'inherit'] }); console.log(JSON.stringify({ card: c.pid })); setInterval(() => {}, 1e6);`;
  const wrapper = spawn(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', HOME: sb.dir, CARD_CONFIG_DIR: sb.configDir, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  started.push(wrapper.pid!);
  const lines = createInterface({ input: wrapper.stdout! })[Symbol.asyncIterator]();
  const head = JSON.parse((await lines.next()).value);
  const first = readFirst ? ((await lines.next()).value as string) : '';
  let card: number = head.card;
  if (viaShell) {
    started.push(head.shell);
    const children = readFileSync(`/proc/${head.shell}/task/${head.shell}/children`, 'utf8').trim().split(/\s+/).map(Number);
    card = children[0]!;
  }
  started.push(card);
  return { wrapper: wrapper.pid!, card, first };
}

describe.skipIf(process.platform !== 'linux')('long-running commands end when their parent goes away', () => {
  it('card emulator exits within 5 s of its parent being killed with SIGKILL, freeing its port', async () => {
    const { wrapper, card, first } = await startWrapped(['emulator', '--port', '0', '--json'], {});
    const url = JSON.parse(first).url as string;
    expect((await fetch(`${url}/_emulator/state`)).status).toBe(200);
    process.kill(wrapper, 'SIGKILL');
    expect(await gone(card, 5000)).toBe(true);
    await expect(fetch(`${url}/_emulator/state`)).rejects.toThrow();
  });

  it('card emulator behind a `sh -c` wrapper (how npx runs it) exits when the process above the shell is killed', async () => {
    const { wrapper, card, first } = await startWrapped(['emulator', '--port', '0', '--json'], {}, true);
    expect(JSON.parse(first).url).toMatch(/^http:/);
    process.kill(wrapper, 'SIGKILL');
    expect(await gone(card, 5000)).toBe(true);
  });

  it('with CARD_NO_PARENT_WATCH=1 it keeps running after its parent is gone (nohup-style), until told to stop', async () => {
    const { wrapper, card } = await startWrapped(['listen', '--port', '0', '--json', '--no-save'], { CARD_NO_PARENT_WATCH: '1' });
    process.kill(wrapper, 'SIGKILL');
    expect(await gone(card, 2500)).toBe(false);
    process.kill(card, 'SIGTERM');
    expect(await gone(card, 5000)).toBe(true);
  });

  it('card listen exits when its parent is killed', async () => {
    const { wrapper, card, first } = await startWrapped(['listen', '--port', '0', '--json', '--no-save'], {});
    expect(JSON.parse(first).url).toMatch(/^http:/);
    process.kill(wrapper, 'SIGKILL');
    expect(await gone(card, 5000)).toBe(true);
  });

  it('card stream closes the card and exits when its parent is killed', async () => {
    const alice = t.emu.state().users[0]!;
    const env = emulatorEnv(t.emu.url, t.emu.state().apps[0]!);
    // The card is streaming once its message is sent: the emulator says so, no polling.
    const sent = new Promise((resolve) => t.emu.core.events.once('message', resolve));
    const { wrapper, card } = await startWrapped(['stream', '--to', alice.open_id, '--interval', '100', '--', process.execPath, '-e', 'console.log("started"); setInterval(() => {}, 1e6)'], env, false, false);
    const entities = async () => ((await fetch(`${t.emu.url}/_emulator/cardkit/cards`).then((x) => x.json())) as any).data.cards as any[];
    await sent;
    process.kill(wrapper, 'SIGKILL');
    expect(await gone(card, 8000)).toBe(true);
    const [entity] = await entities();
    expect(entity.streaming_mode).toBe(false);
  });
});
