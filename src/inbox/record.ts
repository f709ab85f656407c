import type { RecordingRecord } from '../emulator/store.js';
import type { InStream, StopSignal } from '../io.js';
import { recordedTest } from '../testing/record-codegen.js';
import type { InboxClient } from './client.js';

/**
 * `card inbox record`: start a recording in a running emulator, wait until the person at the
 * terminal says stop, then turn what was recorded into a vitest file (src/testing/record-codegen.ts).
 */

export interface StopWhen {
  /** Stop at a line on stdin (Enter) or when stdin ends; else only on SIGINT/SIGTERM. */
  stdin: InStream | null;
  onStop: (handler: (signal: StopSignal) => void) => () => void;
}

/**
 * Listens for what stops a recording from now on: `stopped` resolves with `enter`, `stdin-end`, or
 * the signal. `cancel()` stops listening (the recording never started), leaving `stopped` pending.
 */
function listenForStop(when: StopWhen): { stopped: Promise<'enter' | 'stdin-end' | StopSignal>; cancel: () => void } {
  let cancel = () => {};
  const stopped = new Promise<'enter' | 'stdin-end' | StopSignal>((resolve) => {
    const stdin = when.stdin;
    // Nothing else may hold the process open while it waits for a signal alone.
    const alive = setInterval(() => {}, 60_000);
    const stopListening = () => {
      clearInterval(alive);
      off();
      if (stdin) {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.pause();
      }
    };
    const done = (why: 'enter' | 'stdin-end' | StopSignal) => {
      stopListening();
      resolve(why);
    };
    const onData = (chunk: Buffer | string) => {
      if (String(chunk).includes('\n')) done('enter');
    };
    const onEnd = () => done('stdin-end');
    const off = when.onStop((signal) => done(signal));
    if (stdin) {
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.resume();
    }
    cancel = stopListening;
  });
  return { stopped, cancel };
}

export interface RecordedFile {
  recording: RecordingRecord;
  text: string;
  stopped_by: string;
}

/** Records until told to stop, and generates the test (TypeScript for a `.ts` file). */
export async function recordTest(client: InboxClient, when: StopWhen, opts: { typescript: boolean; setup?: string; onStarted?: (rec: RecordingRecord) => void }): Promise<RecordedFile> {
  // Listening before the recording starts: a Ctrl-C that comes while it is being started still
  // stops it and writes the file, rather than ending the process with a recording left running.
  const stop = listenForStop(when);
  let started: RecordingRecord;
  try {
    started = await client.startRecording();
  } catch (err) {
    stop.cancel();
    throw err;
  }
  opts.onStarted?.(started);
  const why = await stop.stopped;
  const recording = await client.stopRecording(started.id);
  return { recording, text: recordedTest(recording, { typescript: opts.typescript, setup: opts.setup }), stopped_by: why };
}
