// Helpers shared by the benchmark scripts. Benchmarks are measurements, not tests: they print figures.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const CARD_BIN = fileURLToPath(new URL('../bin/card.js', import.meta.url));

/** Starts `card emulator` in its own process and resolves with its ready line and a stop function. */
export function spawnEmulator(args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CARD_BIN, 'emulator', '--port', '0', '--json', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const info = JSON.parse(line);
      resolve({
        ...info,
        pid: child.pid,
        stop: () => new Promise((done) => {
          child.once('exit', done);
          child.kill('SIGTERM');
        }),
      });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
  });
}

export function fmt(n, digits = 0) {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Every request in the emulator's log, following its pages (at most 1,000 a page). */
export async function allRequests(url) {
  const all = [];
  let token = null;
  do {
    const page = (await (await fetch(`${url}/_emulator/requests${token ? `?page_token=${token}` : ''}`)).json()).data;
    all.push(...page.requests);
    token = page.page_token;
  } while (token);
  return all;
}
