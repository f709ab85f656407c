import { describe, expect, it } from 'vitest';
import { checkTarget, isLoopback } from '../../src/http/loopback.js';
import { redactUrl } from '../../src/http/redact.js';

describe('the loopback rule', () => {
  it('allows plain http and ws only to this machine for anything carrying a secret', () => {
    for (const ok of ['http://127.0.0.1:3001/x', 'http://localhost/x', 'http://[::1]:80/', 'ws://127.0.0.2/ws', 'https://open.feishu.cn/', 'wss://msg-frontier.feishu.cn/ws']) {
      expect(() => checkTarget(new URL(ok), 'loopback'), ok).not.toThrow();
    }
    for (const bad of ['http://open.example.com/', 'ws://10.0.0.5/ws', 'http://127.0.0.1.example.com/']) {
      expect(() => checkTarget(new URL(bad), 'loopback'), bad).toThrow(/plain (http|ws) on a non-loopback host/);
    }
    expect(() => checkTarget(new URL('http://192.168.1.5:3000/card'), 'any')).not.toThrow();
    expect(() => checkTarget(new URL('ftp://127.0.0.1/'), 'any')).toThrow(/not an http\(s\) or ws\(s\) URL/);
    expect(isLoopback('127.255.0.1')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
  });

  it('redacts credentials in logged URLs', () => {
    expect(redactUrl('https://h/api?company_token=abc&x=1&access_token=def')).toBe('https://h/api?company_token=<redacted>&x=1&access_token=<redacted>');
  });
});
