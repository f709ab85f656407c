import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli.js';
import { systemClock, type BrowserLauncher, type CliIO, type Clock, type StopSignal } from '../../src/io.js';

export const CARD_BIN = fileURLToPath(new URL('../../bin/card.js', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed, when it is one JSON document. */
  json: any;
}

/** A throwaway HOME and config dir, so no test reads or writes the user's own. */
export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'card-test-'));
  readonly configDir = join(this.dir, 'config');
  env: Record<string, string> = {};
  /** The browser its runs draw with (`preview --png`, `inbox screenshot`): their own Chromium unless set (see lendChromium). */
  launchBrowser?: BrowserLauncher;

  constructor(env: Record<string, string> = {}) {
    this.env = env;
  }

/** The environment a run sees: the sandbox's home and config, no colour, plus `extra` (undefined removes). */
  envFor(extra: Record<string, string | undefined> = {}): Record<string, string> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: this.dir,
      CARD_CONFIG_DIR: this.configDir,
      NO_COLOR: '1',
      ...this.env,
    };
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  }

  /**
   * Runs `card args` in this process (src/, no build needed) with the sandbox's environment, and
   * resolves when the command ends. What only a real process shows (signals, broken pipes, the
   * bin shim, start-up) is for {@link spawn}.
   */
  run(args: string[], opts: RunOptions = {}): Promise<CliResult> {
    const cli = this.start(args, opts);
    cli.end(opts.input ?? '');
    return cli.result;
  }

  /**
   * Starts `card args` in this process with stdin held open, for a test that feeds it in pieces or
   * stops it (`stop()` is Ctrl-C for a long-running command).
   */
  start(args: string[], opts: RunOptions = {}): LiveCli {
    const stdout = new Capture();
    const stderr = new Capture();
    const stdin = new PassThrough();
    const handlers = new Set<(signal: StopSignal) => void>();
    const stop = (signal: StopSignal = 'SIGINT') => {
      for (const h of [...handlers]) h(signal);
    };
    opts.signal?.addEventListener('abort', () => stop('SIGTERM'), { once: true });
    const io: CliIO = {
      stdout,
      stderr,
      stdin,
      env: this.envFor(opts.env),
      cwd: opts.cwd ?? this.dir,
      clock: opts.clock ?? systemClock,
      launchBrowser: this.launchBrowser,
      onStop(handler) {
        handlers.add(handler);
        return () => handlers.delete(handler);
      },
      exit() {
        throw new Error('runCli gives each run its own exit');
      },
    };
    const result = runCli(args, { io }).then((code) => resultOf(code, stdout.text(), stderr.text()));
    let read = 0;
    return {
      write: (text) => void stdin.write(text),
      end: (text = '') => void stdin.end(text),
      stop,
      stdout: () => stdout.text(),
      stderr: () => stderr.text(),
      firstLine: () => stdout.line(result),
      nextLine: () => stdout.line(result, read++),
      result,
    };
  }

  /** Runs `card args` as its own process through bin/card.js (needs `npm run build`). */
  spawn(args: string[], opts: { input?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
    const env = this.envFor(opts.env);
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CARD_BIN, ...args], { env, cwd: this.dir, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve(resultOf(code ?? -1, stdout, stderr)));
      child.stdin.end(opts.input ?? '');
    });
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Environment that points the CLI at an emulator as its first seeded app. */
export function emulatorEnv(url: string, app: { app_id: string; app_secret: string }): Record<string, string> {
  return { CARD_BASE_URL: url, CARD_APP_ID: app.app_id, CARD_APP_SECRET: app.app_secret };
}

export interface RunOptions {
  /** stdin's whole content (empty by default). */
  input?: string;
  /** Added to the sandbox's environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** The run's clock (the real one by default): a fake one makes pacing and intervals instant. */
  clock?: Clock;
  /** The run's working directory (this process's by default). */
  cwd?: string;
  /** Aborting it asks the run to stop, as SIGTERM would a process. */
  signal?: AbortSignal;
}

/** A CLI run in progress, its stdin still open. */
export interface LiveCli {
  write(text: string): void;
  end(text?: string): void;
  /** Asks the command to stop, as Ctrl-C (SIGINT) or SIGTERM would. */
  stop(signal?: StopSignal): void;
  /** What it has written so far. */
  stdout(): string;
  stderr(): string;
  /** Its first line of output, once written (a server's ready line). */
  firstLine(): Promise<string>;
  /** Its next line of output not yet read by nextLine (the first, then the second, …); '' when it ended first. */
  nextLine(): Promise<string>;
  result: Promise<CliResult>;
}

function resultOf(code: number, stdout: string, stderr: string): CliResult {
  let json: any = null;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = null;
  }
  return { code, stdout, stderr, json };
}

/** A stream that keeps what is written to it; not a terminal. */
class Capture extends Writable {
  readonly isTTY = false;
  private readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
    this.emit('wrote');
    done();
  }

  /** Resolves with line `n` (from 0) once it is whole, or '' when the run ended first; without polling. */
  line(ended: Promise<unknown>, n = 0): Promise<string> {
    return new Promise((resolve) => {
      const whole = () => this.text().split('\n').slice(0, -1);
      const check = () => {
        const lines = whole();
        if (lines.length <= n) return;
        this.off('wrote', check);
        resolve(lines[n]!);
      };
      this.on('wrote', check);
      void ended.finally(() => {
        this.off('wrote', check);
        resolve(whole()[n] ?? (n === 0 ? (this.text().split('\n')[0] ?? '') : ''));
      });
      check();
    });
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
