import type { Readable, Writable } from 'node:stream';
import type * as Playwright from 'playwright-core';
import type { FoundChromium } from './card/render/chromium.js';
import { watchParent } from './process/parent-watch.js';

/**
 * Everything the CLI takes from the world it runs in: streams, environment, working directory,
 * time, and how it is told to stop. `bin/card.js` passes the real process (processIO); tests pass
 * their own (test/helpers/cli.ts), so a command runs in the test's process with a fake clock,
 * a throwaway home and captured output.
 */

/** Time as the CLI sees it: pacing, retries, stream intervals and uuid windows all read this. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  setTimeout(fn: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** A pending timer of a {@link Clock}; only the clock that made it knows what it holds. */
export type ClockTimer = { readonly __clockTimer?: never } | NodeJS.Timeout;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export type OutStream = Writable & { isTTY?: boolean; columns?: number };
export type InStream = Readable & { isTTY?: boolean };

export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: NodeJS.ProcessEnv;
  /** Relative paths on the command line are relative to this. */
  cwd: string;
  clock: Clock;
  /**
   * Calls `handler` each time the run is asked to stop (Ctrl-C or SIGTERM for a process); returns
   * the function that stops listening. Long-running commands (emulator, listen, stream) end on it.
   */
  onStop(handler: (signal: StopSignal) => void): () => void;
  /**
   * Ends the run now with `code`, without waiting for work in flight (a second Ctrl-C). A process
   * exits; a run in a test's process ends its `runCli` with that code.
   */
  exit(code: number): void;
  /** The real process, when the CLI is one: its exit, crash and broken-pipe guards go on it. */
  process?: NodeJS.Process;
  /**
   * Starts the headless browser a command draws with (`preview --png`, `inbox screenshot`); the
   * command closes what it gets. A process starts its own Chromium (launchChromium); a test's
   * process may lend the one it keeps, whose close() then closes only the pages the run opened.
   */
  launchBrowser?: BrowserLauncher;
}

/** How a command gets its browser: launchChromium's signature. */
export type BrowserLauncher = (env: NodeJS.ProcessEnv, opts?: BrowserLaunchOptions) => Promise<Playwright.Browser>;

export interface BrowserLaunchOptions {
  warn?: (message: string) => void;
  /** Called with the browser found, before it starts. */
  onFound?: (found: FoundChromium) => void;
}

/** The IO of the CLI run as its own process. */
export function processIO(proc: NodeJS.Process = process): CliIO {
  return {
    stdout: proc.stdout,
    stderr: proc.stderr,
    stdin: proc.stdin,
    env: proc.env,
    cwd: proc.cwd(),
    clock: systemClock,
    onStop(handler) {
      const onInt = () => handler('SIGINT');
      const onTerm = () => handler('SIGTERM');
      proc.on('SIGINT', onInt);
      proc.on('SIGTERM', onTerm);
      // A process is also told to stop when the one that started it goes away (`npx card emulator &`
      // then `kill $!` in a script), so it never outlives its script holding a port or a card open.
      const parent = watchParent({
        env: proc.env,
        onGone: (why) => {
          proc.stderr.write(`! ${why}: stopping\n`);
          handler('SIGTERM');
        },
      });
      return () => {
        proc.off('SIGINT', onInt);
        proc.off('SIGTERM', onTerm);
        parent.stop();
      };
    },
    exit: (code) => proc.exit(code),
    process: proc,
  };
}

/** Resolves on the first stop request; for commands that run until told to stop. */
export function untilStopped(io: Pick<CliIO, 'onStop'>): Promise<StopSignal> {
  return new Promise((resolve) => {
    const off = io.onStop((signal) => {
      off();
      resolve(signal);
    });
  });
}
