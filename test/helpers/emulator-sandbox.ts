import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';
import { emulatorEnv, Sandbox } from './cli.js';

/**
 * One emulator for the test file, reset before each test, and a fresh sandbox (its own home and
 * config) pointed at the emulator's first app; both are stopped and removed after the file.
 */
export function emulatorPerFile(): { readonly emu: RunningEmulator; readonly sb: Sandbox } {
  const t = {} as { emu: RunningEmulator; sb: Sandbox };
  beforeAll(async () => {
    t.emu = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await t.emu.close();
    t.sb?.cleanup();
  });
  beforeEach(() => {
    t.emu.reset();
    t.sb?.cleanup();
    t.sb = new Sandbox(emulatorEnv(t.emu.url, t.emu.state().apps[0]!));
  });
  return t;
}
