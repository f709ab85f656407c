import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

  constructor(env: Record<string, string> = {}) {
    this.env = env;
  }

  run(args: string[], opts: { input?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: this.dir,
      CARD_CONFIG_DIR: this.configDir,
      NO_COLOR: '1',
      ...this.env,
    };
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CARD_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => {
        let json: any = null;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = null;
        }
        resolve({ code: code ?? -1, stdout, stderr, json });
      });
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
