import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, withApiRules } from '../../src/output/errors.js';

const SRC = new URL('../../src/', import.meta.url).pathname;
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('layout', () => {
  it('commands build no Open API URLs: request descriptors live in src/feishu', () => {
    const offenders = files(join(SRC, 'commands')).filter((f) => readFileSync(f, 'utf8').includes('/open-apis/'));
    expect(offenders).toEqual([]);
  });

  it('commands re-word API errors with one helper, not their own CliError copies', () => {
    const offenders = files(join(SRC, 'commands')).filter((f) => /type === 'api'\)\s*\{\s*throw new CliError\('api'/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('withApiRules', () => {
  it('re-words an API error and adds the rules to its hint, keeping code and log id; passes others through', () => {
    const api = new CliError('api', 'no permission', { code: 230027, logId: 'log1', hint: 'ask an admin' });
    const out = withApiRules(api, 'the platform refused to recall om_x', 'RULES') as CliError;
    expect([out.message, out.code, out.logId, out.hint, out.exitCode]).toEqual(['the platform refused to recall om_x: no permission', 230027, 'log1', 'ask an admin\nRULES', api.exitCode]);
    const net = new CliError('network', 'timeout');
    expect(withApiRules(net, 'x', 'y')).toBe(net);
  });
});
