import { afterAll, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

it('card preview --help names every browser --png may use, in the order it tries them', async () => {
  const r = await sb.run(['preview', '--help']);
  expect(r.code).toBe(0);
  const help = r.stdout.replace(/\s+/g, ' ');
  expect(help).toMatch(/CARD_CHROMIUM if set, else a Chrome, Chromium or Edge on the system, else the one card ships \(Linux x64\/arm64\)/);
});
