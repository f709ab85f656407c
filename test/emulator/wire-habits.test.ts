import * as lark from '@larksuiteoapi/node-sdk';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { request as undiciRequest } from 'undici';
import { describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';

/**
 * The emulator spoken to with other clients' habits, not only the Node SDK's: header names read
 * case-sensitively (the Python SDK copies them into a plain dict), booleans written True/False, every
 * declared form field sent, empty when unset.
 */
const t = emulatorForFile();

interface RawAnswer {
  status: number;
  /** Header names exactly as they came over the wire. */
  names: string[];
  /** The headers as a case-sensitive dict, the way the Python SDK keeps them. */
  dict: Record<string, string>;
  body: Buffer;
}

function raw(method: string, path: string, opts: { headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(t.url + path, { method, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const names: string[] = [];
        const dict: Record<string, string> = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          names.push(res.rawHeaders[i]!);
          dict[res.rawHeaders[i]!] = res.rawHeaders[i + 1]!;
        }
        resolve({ status: res.statusCode ?? 0, names, dict, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Every name in the platform's spelling: each dash-separated word capitalised, as its gateway writes them. */
const PLATFORM_SPELLING = /^[A-Z][a-z0-9]*(-[A-Z][a-z0-9]*)*$/;

async function token(): Promise<string> {
  return t.token();
}

function form(fields: Array<[string, string] | [string, Buffer, string]>): { body: Buffer; type: string } {
  const boundary = 'wirehabits7e3f';
  const chunks: Buffer[] = [];
  for (const f of fields) {
    const disposition = f.length === 3 ? `form-data; name="${f[0]}"; filename="${f[2]}"` : `form-data; name="${f[0]}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`), Buffer.isBuffer(f[1]) ? f[1] : Buffer.from(f[1]), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

async function uploadFile(tok: string, fields: Array<[string, string] | [string, Buffer, string]>): Promise<{ status: number; body: any }> {
  const f = form(fields);
  const r = await raw('POST', '/open-apis/im/v1/files', { headers: { Authorization: `Bearer ${tok}`, 'Content-Type': f.type }, body: f.body });
  return { status: r.status, body: JSON.parse(r.body.toString('utf8')) };
}

/** What the Python SDK's form encoder sends for a file upload: every declared field, empty when unset. */
const pythonFileForm = (name: string, extra: Partial<Record<'duration' | 'file_type', string>> = {}): Array<[string, string] | [string, Buffer, string]> => [
  ['file_type', extra.file_type ?? 'stream'],
  ['file_name', name],
  ['duration', extra.duration ?? ''],
  ['file', Buffer.from('hello wire'), 'upload'],
];

describe('header names as the platform spells them', () => {
  it('a success answer: Content-Type, Content-Length, X-Tt-Logid in exact case', async () => {
    const app = t.app;
    const r = await raw('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ app_id: app.app_id, app_secret: app.app_secret }),
    });
    expect(r.status).toBe(200);
    expect(r.dict['Content-Type']).toBe('application/json; charset=utf-8');
    expect(r.dict['X-Tt-Logid']).toMatch(/^\d{14}[0-9A-F]{18}$/);
    expect(Number(r.dict['Content-Length'])).toBe(r.body.length);
    expect(r.dict['X-Content-Type-Options']).toBe('nosniff');
    for (const name of r.names) expect(name).toMatch(PLATFORM_SPELLING);
  });

  it('error answers, HTTP 4xx and HTTP 200 with a non-zero code, carry the log id a dict reader finds', async () => {
    const unauthorized = await raw('GET', '/open-apis/im/v1/chats');
    expect(unauthorized.status).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(unauthorized.body.toString()).error.log_id).toBe(unauthorized.dict['X-Tt-Logid']);
    expect(unauthorized.dict['Content-Type']).toMatch(/^application\/json/);

    const tok = await token();
    const refused = await raw('POST', '/open-apis/message/v4/batch_send/', {
      headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ msg_type: 'not-a-type', open_ids: ['ou_x'] }),
    });
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.body.toString()).code).toBe(10003);
    // Without Content-Type found, that SDK would not parse the body and read this answer as code 0.
    expect(refused.dict['Content-Type']).toMatch(/^application\/json/);
    expect(refused.dict['X-Tt-Logid']).toBeDefined();

    const missing = await raw('GET', '/open-apis/no/such/route');
    expect(missing.status).toBe(404);
    for (const r of [unauthorized, refused, missing]) for (const name of r.names) expect(name).toMatch(PLATFORM_SPELLING);
  });

  it('a rate-limited answer names X-Ogw-Ratelimit-Limit and X-Ogw-Ratelimit-Reset', async () => {
    await t.restart({ settings: { faults: { drop: 0, error: 0, slow: 0, rateLimit: 1, slowMs: 0 } } });
    const r = await raw('GET', '/open-apis/im/v1/chats');
    expect(r.status).toBe(429);
    expect(r.dict['X-Ogw-Ratelimit-Limit']).toBe('50');
    expect(r.dict['X-Ogw-Ratelimit-Reset']).toBe('1');
    for (const name of r.names) expect(name).toMatch(PLATFORM_SPELLING);
  });

  it('a download, through undici as well as node:http', async () => {
    const tok = await token();
    const up = await uploadFile(tok, pythonFileForm('notes.txt'));
    expect(up.body.code).toBe(0);
    const r = await raw('GET', `/open-apis/im/v1/files/${up.body.data.file_key}`, { headers: { Authorization: `Bearer ${tok}` } });
    expect(r.body.toString()).toBe('hello wire');
    expect(r.dict['Content-Disposition']).toBe('attachment; filename="notes.txt"');
    expect(r.dict['Content-Type']).toBe('application/octet-stream');
    expect(r.dict['Content-Length']).toBe(String('hello wire'.length));
    expect(r.dict['X-Tt-Logid']).toBeDefined();
    for (const name of r.names) expect(name).toMatch(PLATFORM_SPELLING);

    const u = await undiciRequest(`${t.url}/open-apis/im/v1/files/${up.body.data.file_key}`, { headers: { Authorization: `Bearer ${tok}` } });
    await u.body.arrayBuffer();
    // undici hands back lowercase keys; its raw header list keeps what came over the wire.
    expect(Object.keys(u.headers)).toContain('content-disposition');
  });

  it('HTML pages and the inbox event stream', async () => {
    const page = await raw('GET', '/');
    expect(page.status).toBe(200);
    expect(page.dict['Content-Type']).toBe('text/html; charset=utf-8');
    expect(page.dict['Content-Security-Policy']).toContain("default-src 'none'");
    expect(page.dict['X-Frame-Options']).toBe('DENY');
    for (const name of page.names) expect(name).toMatch(PLATFORM_SPELLING);

    const names = await new Promise<string[]>((resolve, reject) => {
      const req = httpRequest(`${t.url}/_emulator/inbox/events`, (res) => {
        const got = res.rawHeaders.filter((_, i) => i % 2 === 0);
        req.destroy();
        resolve(got);
      });
      req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
      req.end();
    });
    expect(names).toContain('Content-Type');
    expect(names).toContain('Cache-Control');
    for (const name of names) expect(name).toMatch(PLATFORM_SPELLING);
  });

  it('the answers written straight to the socket: a refused upgrade and a malformed request', async () => {
    const port = new URL(t.url).port;
    const talk = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const s = connect(Number(port), '127.0.0.1', () => s.write(text));
        let got = '';
        s.on('data', (c) => (got += c.toString('latin1')));
        s.on('end', () => resolve(got));
        s.on('error', reject);
      });
    const refused = await talk('GET /ws/v2 HTTP/1.1\r\nHost: evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    const head = refused.split('\r\n\r\n')[0]!.split('\r\n').slice(1).map((l) => l.slice(0, l.indexOf(':')));
    expect(refused).toMatch(/^HTTP\/1\.1 403 /);
    expect(head).toEqual(expect.arrayContaining(['Content-Type', 'Content-Length', 'Connection']));
    for (const name of head) expect(name).toMatch(PLATFORM_SPELLING);

    const bad = await talk('NOT HTTP AT ALL\r\n\r\n');
    expect(bad).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
});

describe('query booleans as other languages write them', () => {
  const create = async (flag: string) => {
    const tok = await token();
    const owner = t.users[0]!.open_id;
    const r = await raw('POST', `/open-apis/im/v1/chats?user_id_type=open_id&set_bot_manager=${flag}`, {
      headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: `flag ${flag}`, owner_id: owner }),
    });
    return JSON.parse(r.body.toString()) as { code: number; msg: string; data?: { chat_id: string } };
  };
  const isManager = (chatId: string) => t.emu.core.store.chats.get(chatId)!.bot_managers.has(t.app.app_id);

  it('True and False (Python) mean what true and false mean', async () => {
    for (const [flag, want] of [['True', true], ['False', false], ['true', true], ['FALSE', false]] as const) {
      const r = await create(flag);
      expect(r.code, flag).toBe(0);
      expect(isManager(r.data!.chat_id), flag).toBe(want);
    }
  });

  it('anything else is still refused with 99992402 naming the field', async () => {
    for (const flag of ['yes', '1', 'Truee']) {
      const r = await create(flag);
      expect(r.code, flag).toBe(99992402);
      expect(JSON.stringify(r)).toContain('set_bot_manager');
    }
  });
});

describe('empty multipart fields', () => {
  it('an empty optional field (duration) is an unset one', async () => {
    const tok = await token();
    const r = await uploadFile(tok, pythonFileForm('a.bin'));
    expect([r.status, r.body.code]).toEqual([200, 0]);
    expect(r.body.data.file_key).toMatch(/^file_/);
  });

  it('a set duration is still checked, and empty required fields still fail as the platform fails them', async () => {
    const tok = await token();
    expect((await uploadFile(tok, pythonFileForm('a.bin', { duration: 'soon' }))).body.code).toBe(234001);
    expect((await uploadFile(tok, pythonFileForm('a.bin', { duration: '1200' }))).body.code).toBe(0);
    expect((await uploadFile(tok, pythonFileForm(''))).body).toMatchObject({ code: 234001, msg: expect.stringContaining('file_name') });
    expect((await uploadFile(tok, pythonFileForm('a.bin', { file_type: '' }))).body).toMatchObject({ code: 234001, msg: expect.stringContaining('file_type') });
    const emptyFile = await uploadFile(tok, [['file_type', 'stream'], ['file_name', 'a.bin'], ['duration', ''], ['file', Buffer.alloc(0), 'upload']]);
    expect(emptyFile.body.code).toBe(234010);
  });

  it('image uploads: an empty image_type is refused, as a missing one is', async () => {
    const tok = await token();
    const f = form([['image_type', ''], ['image', Buffer.from('x'), 'i.png']]);
    const r = await raw('POST', '/open-apis/im/v1/images', { headers: { Authorization: `Bearer ${tok}`, 'Content-Type': f.type }, body: f.body });
    expect(JSON.parse(r.body.toString())).toMatchObject({ code: 234001, msg: expect.stringContaining('image_type') });
  });
});

describe('Content-Disposition on downloads', () => {
  const download = async (name: string) => {
    const tok = await token();
    const up = await uploadFile(tok, pythonFileForm(name));
    expect(up.body.code).toBe(0);
    return { key: up.body.data.file_key as string, r: await raw('GET', `/open-apis/im/v1/files/${up.body.data.file_key}`, { headers: { Authorization: `Bearer ${tok}` } }) };
  };

  it('a non-ASCII name goes as filename* (UTF-8) with an ASCII stand-in', async () => {
    const { r } = await download('季度报告 (终稿).pdf');
    const cd = r.dict['Content-Disposition']!;
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(cd)![1]!)).toBe('季度报告 (终稿).pdf');
    expect(/filename\*=UTF-8''(\S+)/.exec(cd)![1]).not.toMatch(/[()]/);
  });

  it('an untrusted name cannot inject a header, leave its quotes or name a path', async () => {
    const injected = await download('a.txt"; filename="evil.exe\r\nX-Injected: 1');
    expect(injected.r.dict['X-Injected']).toBeUndefined();
    const cd = injected.r.dict['Content-Disposition']!;
    expect(cd.match(/"/g)).toHaveLength(2);
    expect(cd.split(';').filter((p) => /filename=/.test(p))).toEqual([' filename="a.txt__ filename=_evil.exeX-Injected: 1"']);
    expect(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(cd)![1]!)).toBe('a.txt"; filename="evil.exeX-Injected: 1');

    const traversal = await download('../../etc/passwd');
    expect(traversal.r.dict['Content-Disposition']).toBe('attachment; filename="passwd"');

    const dots = await download('..');
    expect(dots.r.dict['Content-Disposition']).toBe(`attachment; filename="${dots.key}"`);
  });

  it('an image download names the image', async () => {
    const tok = await token();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201c5d2a8d30000000049454e44ae426082', 'hex');
    const f = form([['image_type', 'message'], ['image', png, 'pixel.png']]);
    const up = JSON.parse((await raw('POST', '/open-apis/im/v1/images', { headers: { Authorization: `Bearer ${tok}`, 'Content-Type': f.type }, body: f.body })).body.toString());
    expect(up.code).toBe(0);
    const r = await raw('GET', `/open-apis/im/v1/images/${up.data.image_key}`, { headers: { Authorization: `Bearer ${tok}` } });
    expect(r.dict['Content-Disposition']).toBe('attachment; filename="pixel.png"');
    expect(r.dict['Content-Type']).toBe('image/png');
  });

  it('the official Node SDK reads the file name from im.file.get', async () => {
    const app = t.app;
    const client = new lark.Client({ appId: app.app_id, appSecret: app.app_secret, domain: t.url, appType: lark.AppType.SelfBuild, loggerLevel: lark.LoggerLevel.fatal });
    const up = await client.im.file.create({ data: { file_type: 'stream', file_name: '周报.txt', file: Buffer.from('weekly') } });
    const got = await client.im.file.get({ path: { file_key: up!.file_key! } });
    const cd = String((got.headers as Record<string, unknown>)['content-disposition']);
    expect(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(cd)![1]!)).toBe('周报.txt');
    const chunks: Buffer[] = [];
    for await (const c of got.getReadableStream()) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('weekly');
  });
});
