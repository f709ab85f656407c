import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPayload } from '../../src/callback/crypto.js';
import { FIXTURES, Sandbox } from '../helpers/cli.js';
import { readBody, serve } from '../helpers/handler.js';

/** A handler written to answer wrong in every way the platform's rules forbid, one path each. */
const answers: Record<string, { status?: number; body?: string; delay?: number; headers?: Record<string, string> }> = {
  '/ok': { body: JSON.stringify({ toast: { type: 'success', content: 'Approved' } }) },
  '/empty-object': { body: '{}' },
  '/status-500': { status: 500, body: '{"error":"boom"}' },
  '/redirect': { status: 302, headers: { location: 'https://elsewhere.example/' }, body: '' },
  '/slow': { delay: 400, body: '{}' },
  '/not-json': { body: '<html>oops</html>' },
  '/empty': { body: '' },
  '/bad-toast': { body: JSON.stringify({ toast: { type: 'ok', content: 5, i18n: { xx_yy: 'hi' } } }) },
  '/unknown-key': { body: JSON.stringify({ toast: { type: 'info', content: 'x' }, message: 'hello' }) },
  '/card-downgrade': { body: JSON.stringify({ card: { type: 'raw', data: { elements: [{ tag: 'hr' }] } } }) },
  '/card-removed-tag': { body: JSON.stringify({ card: { type: 'raw', data: { schema: '2.0', body: { elements: [{ tag: 'note', elements: [] }] } } } }) },
  '/card-bad-type': { body: JSON.stringify({ card: { type: 'json', data: {} } }) },
  '/card-unknown-property': { body: JSON.stringify({ card: { type: 'raw', data: { schema: '2.0', body: { elements: [{ tag: 'hr', colour: 'red' }] } } } }) },
  '/template-no-id': { body: JSON.stringify({ card: { type: 'template', data: { template_variable: [] } } }) },
  '/array': { body: '[1]' },
};

let handler: Awaited<ReturnType<typeof serve>>;
let lastBody = '';
let lastHeaders: Record<string, unknown> = {};
const sb = new Sandbox();

beforeAll(async () => {
  handler = await serve(async (req, res) => {
    lastBody = await readBody(req);
    lastHeaders = req.headers;
    if (req.url === '/echo-challenge') {
      const body = JSON.parse(lastBody);
      res.end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    if (req.url === '/wrong-challenge') {
      res.end(JSON.stringify({ challenge: 'nope' }));
      return;
    }
    if (req.url === '/legacy-card') {
      res.end(JSON.stringify({ config: { update_multi: true }, elements: [{ tag: 'div', text: { tag: 'plain_text', content: 'done' } }], toast: { type: 'success', content: 'ok' } }));
      return;
    }
    const a = answers[req.url ?? ''] ?? { status: 404, body: 'no such path' };
    setTimeout(() => {
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body);
    }, a.delay ?? 0);
  });
});
afterAll(async () => {
  await handler.close();
  sb.cleanup();
});

const replay = (path: string, ...extra: string[]) => sb.run(['replay-callback', 'button', '--url', handler.url + path, '--json', ...extra]);

describe('replay-callback checks the answer against the platform rules', () => {
  it('passes a valid toast answer and {}', async () => {
    const ok = await replay('/ok');
    expect(ok.code).toBe(0);
    expect(ok.json.data).toMatchObject({ passed: 1, failed: 0 });
    expect(ok.json.data.results[0]).toMatchObject({ status: 200, budget_ms: 3000, problems: [], answer: { toast: { type: 'success', content: 'Approved' } } });
    expect((await replay('/empty-object')).code).toBe(0);
  });

  it.each([
    ['/status-500', '$', 'HTTP 500: the platform needs HTTP 200'],
    ['/redirect', '$', 'HTTP 302 redirect to https://elsewhere.example/'],
    ['/not-json', '$', 'not JSON'],
    ['/empty', '$', 'empty body'],
    ['/bad-toast', '$.toast.type', '"ok" is not a toast type'],
    ['/bad-toast', '$.toast.content', 'must be a string, not number'],
    ['/bad-toast', '$.toast.i18n.xx_yy', 'unknown locale'],
    ['/unknown-key', '$.message', 'unknown key'],
    ['/card-downgrade', '$.card.data', '200830'],
    ['/card-removed-tag', '$.card.data.body.elements[0].tag', 'JSON 2.0 removed the "note" tag'],
    ['/card-unknown-property', '$.card.data.body.elements[0].colour', 'unknown property "colour"'],
    ['/card-bad-type', '$.card.type', 'use "raw" or "template"'],
    ['/template-no-id', '$.card.data.template_id', 'needs template_id'],
    ['/template-no-id', '$.card.data.template_variable', 'must be an object, not array'],
    ['/array', '$', 'must be a JSON object, not array'],
  ])('%s fails with %s: %s (exit 5)', async (path, jsonPath, message) => {
    const r = await replay(path);
    expect(r.code).toBe(5);
    const problems = r.json.error.details.results[0].problems;
    expect(problems).toContainEqual({ path: jsonPath, message: expect.stringContaining(message) });
  });

  it('fails an answer over the budget, and shows the time', async () => {
    const r = await replay('/slow', '--budget', '200');
    expect(r.code).toBe(5);
    const res = r.json.error.details.results[0];
    expect(res.ms).toBeGreaterThanOrEqual(390);
    expect(res.problems[0].message).toMatch(/answered in \d+ ms, over the 200 ms budget/);
  });

  it('reports a handler that is down or silent with exit 4', async () => {
    const down = await sb.run(['replay-callback', 'button', '--url', 'http://127.0.0.1:1/card', '--json']);
    expect(down.code).toBe(4);
    expect(down.json.error).toMatchObject({ type: 'network', code: 'ECONNREFUSED' });
    const slow = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/slow`, '--timeout', '100ms']);
    expect(slow.code).toBe(4);
    expect(slow.stderr).toContain('no answer');
  });

  it('checks url_verification: the challenge echoed within 1 s, no signature headers', async () => {
    const ok = await sb.run(['replay-callback', 'url-verification', '--url', `${handler.url}/echo-challenge`, '--verification-token', 'vt', '--json']);
    expect(ok.code).toBe(0);
    expect(ok.json.data.results[0].budget_ms).toBe(1000);
    expect(JSON.parse(lastBody)).toMatchObject({ type: 'url_verification', token: 'vt' });
    expect(lastHeaders['x-lark-signature']).toBeUndefined();
    const wrong = await sb.run(['replay-callback', 'url-verification', '--url', `${handler.url}/wrong-challenge`, '--json']);
    expect(wrong.code).toBe(5);
    expect(wrong.json.error.details.results[0].problems[0].path).toBe('$.challenge');
    const needsKey = await sb.run(['replay-callback', 'url-verification-encrypted', '--url', `${handler.url}/echo-challenge`]);
    expect(needsKey.code).toBe(2);
    expect(needsKey.stderr).toContain('--encrypt-key');
  });

  it('accepts a legacy answer with the card at the top level and a toast', async () => {
    const r = await sb.run(['replay-callback', 'legacy-button', '--url', `${handler.url}/legacy-card`, '--json']);
    expect(r.code).toBe(0);
    expect(lastHeaders['x-lark-signature']).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('replay-callback inputs and expectations', () => {
  it('--set overrides fields with JSON values, --operator sets the user, and the body is compact JSON', async () => {
    const r = await replay('/ok', '--set', 'event.action.value.action=reject', '--set', 'event.action.value.amount=42', '--set', 'event.context.open_message_id=om_custom', '--operator', 'ou_someoneelse');
    expect(r.code).toBe(0);
    const sent = JSON.parse(lastBody);
    expect(lastBody).toBe(JSON.stringify(sent));
    expect(sent.event.action.value).toEqual({ action: 'reject', request_id: 'EXP-1024', amount: 42 });
    expect(sent.event.context.open_message_id).toBe('om_custom');
    expect(sent.event.operator.open_id).toBe('ou_someoneelse');
    expect(sent.header.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(sent.header.create_time)).toBeGreaterThan(Date.now() * 1000 - 60e6);
    const again = await replay('/ok');
    expect(JSON.parse(lastBody).header.event_id).not.toBe(sent.header.event_id);
    expect(again.json.data.results[0].sent.payload.event.token).not.toBe(sent.event.token);
  });

  it('--expect and --expect-file assert on the answer and exit 5 with what differed', async () => {
    const pass = await replay('/ok', '--expect', 'toast.type=success', '--expect', 'toast.content=Approved');
    expect(pass.code).toBe(0);
    const fail = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/ok`, '--expect', 'toast.type=error', '--expect', 'card.type=raw']);
    expect(fail.code).toBe(5);
    expect(fail.stderr).toContain('expected $.toast.type to be "error"');
    expect(fail.stderr).toContain('but got "success"');
    expect(fail.stderr).toContain('but got (nothing there)');
    const file = join(sb.dir, 'expected.json');
    writeFileSync(file, JSON.stringify({ toast: { type: 'success' } }));
    expect((await replay('/ok', '--expect-file', file)).code).toBe(0);
    writeFileSync(file, JSON.stringify({ toast: { type: 'warning' } }));
    const subset = await replay('/ok', '--expect-file', file);
    expect(subset.json.error.details.results[0].expectation_failures).toEqual([{ path: '$.toast.type', expected: 'warning', actual: 'success', missing: false }]);
  });

  it('runs a directory concurrently and reports each fixture', async () => {
    const r = await sb.run(['replay-callback', join(FIXTURES, 'callbacks'), '--url', `${handler.url}/empty-object`, '--concurrency', '8', '--encrypt-key', 'k', '--json']);
    const names = r.json.error.details.results.map((x: any) => x.fixture);
    expect(names).toHaveLength(18);
    expect(names).toContain('checker');
    // {} is right for clicks; url_verification needs its challenge echoed, a link preview its inline title.
    const failedNames = r.json.error.details.results.filter((x: any) => !x.ok).map((x: any) => x.fixture).sort();
    expect(failedNames).toEqual(['url-preview', 'url-verification', 'url-verification-encrypted']);
  });

  it('--from-card derives one callback per interactive element, form fields included', async () => {
    const card = join(sb.dir, 'card.json');
    writeFileSync(card, JSON.stringify({
      schema: '2.0',
      body: {
        elements: [
          { tag: 'button', name: 'approve', behaviors: [{ type: 'callback', value: { a: 'approve' } }] },
          { tag: 'button', name: 'docs', behaviors: [{ type: 'open_url', default_url: 'https://example.com' }] },
          { tag: 'select_static', name: 'prio', options: [{ text: { tag: 'plain_text', content: 'High' }, value: 'high' }], behaviors: [{ type: 'callback', value: { f: 'prio' } }] },
          { tag: 'form', name: 'f', elements: [
            { tag: 'input', name: 'title' },
            { tag: 'date_picker', name: 'due', initial_date: '2025-03-01' },
            { tag: 'button', name: 'send', form_action_type: 'submit', behaviors: [{ type: 'callback', value: { a: 'submit' } }] },
            { tag: 'button', name: 'clear', form_action_type: 'reset' },
          ] },
        ],
      },
    }));
    const r = await sb.run(['replay-callback', '--from-card', card, '--url', `${handler.url}/empty-object`, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.data.results.map((x: any) => x.fixture)).toEqual(['button:approve', 'select_static:prio', 'button:send']);
    const submit = r.json.data.results[2].sent.payload.event.action;
    expect(submit).toEqual({ value: { a: 'submit' }, tag: 'button', name: 'send', form_value: { title: 'sample title', due: '2025-03-01 +0800' } });
    expect(r.json.data.results[1].sent.payload.event.action.option).toBe('high');
    const legacy = await sb.run(['replay-callback', '--from-card', join(FIXTURES, 'cards/release-approval.v1.json'), '--legacy', '--url', `${handler.url}/empty-object`, '--json']);
    expect(legacy.code).toBe(0);
    expect(legacy.json.data.results[0]).toMatchObject({ fixture: 'button:button', format: 'card.action.trigger_v1' });
    expect(legacy.json.data.results[0].sent.payload.action.value).toEqual({ button_type: 'public_publish', button_id: 'demo-0001' });
  });

  it('takes the keys from the environment (and so from a profile) when no flag gives them', async () => {
    const r = await sb.run(['replay-callback', 'button', '--url', `${handler.url}/empty-object`, '--json'], {
      env: { CARD_ENCRYPT_KEY: 'env-key', CARD_VERIFICATION_TOKEN: 'env-token' },
    });
    expect(r.json.data.results[0].encrypted).toBe(true);
    expect(JSON.parse(lastBody)).toHaveProperty('encrypt');
    // The token went out inside the encrypted body; the report shows it redacted.
    expect(JSON.parse(decryptPayload('env-key', JSON.parse(lastBody).encrypt)).header.token).toBe('env-token');
    expect(r.json.data.results[0].sent.payload.header.token).toBe('<redacted>');
    expect(r.stdout).not.toContain('env-token');
  });

  it('refuses missing --url, unknown fixtures and bad flags with exit 2', async () => {
    expect((await sb.run(['replay-callback', 'button'])).code).toBe(2);
    const unknown = await sb.run(['replay-callback', 'nope', '--url', handler.url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Shipped: ');
    expect((await sb.run(['replay-callback', 'button', '--url', handler.url, '--set', 'novalue'])).code).toBe(2);
    expect((await sb.run(['replay-callback', 'button', '--url', handler.url, '--concurrency', '0'])).code).toBe(2);
  });
});

describe('card fixtures', () => {
  it('lists the shipped fixtures and shows one by name', async () => {
    const list = await sb.run(['fixtures', 'list', '--json']);
    const names = list.json.data.fixtures.map((f: any) => f.name);
    for (const n of ['button', 'form-submit', 'select-static', 'multi-select-static', 'select-person', 'multi-select-person', 'overflow', 'date-picker', 'picker-time', 'picker-datetime', 'checker', 'input', 'interactive-container', 'legacy-button', 'url-verification', 'url-verification-encrypted']) {
      expect(names).toContain(n);
    }
    const show = await sb.run(['fixtures', 'show', 'checker']);
    expect(JSON.parse(show.stdout).payload.event.action).toMatchObject({ tag: 'checker', checked: true });
  });
});
