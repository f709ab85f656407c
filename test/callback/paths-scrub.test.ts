import { describe, expect, it } from 'vitest';
import { formatPath, getPath, parsePath, setPath } from '../../src/callback/paths.js';
import { scrub } from '../../src/callback/record.js';

describe('dotted paths', () => {
  it('parses dots and brackets alike', () => {
    expect(parsePath('event.action.options[1]')).toEqual(['event', 'action', 'options', 1]);
    expect(parsePath('a.0.b')).toEqual(['a', 0, 'b']);
    expect(() => parsePath('a..b')).toThrow();
    expect(() => parsePath('.a')).toThrow();
  });

  it('gets and sets, creating containers on the way', () => {
    const o: Record<string, unknown> = {};
    setPath(o, parsePath('x.list[1].y'), 3);
    expect(o).toEqual({ x: { list: [undefined, { y: 3 }] } });
    expect(getPath(o, parsePath('x.list[1].y'))).toEqual({ found: true, value: 3 });
    expect(getPath(o, parsePath('x.nothing')).found).toBe(false);
    expect(formatPath(['toast', 'i18n', 'zh_cn'])).toBe('$.toast.i18n.zh_cn');
    expect(formatPath(['card', 'data', 'elements', 0])).toBe('$.card.data.elements[0]');
  });
});

describe('scrub', () => {
  it('replaces ids consistently and empties secrets', () => {
    const out = scrub({
      header: { token: 'verification-secret', tenant_key: 't1', event_id: 'e1', app_id: 'cli_x' },
      event: { token: 'c-abc', operator: { open_id: 'ou_abc123', user_id: 'u1' }, action: { form_value: { reviewer: 'ou_abc123' } } },
    }) as any;
    expect(out.header).toEqual({ token: '', tenant_key: 'recorded_tenant', event_id: '', app_id: 'cli_x' });
    expect(out.event.token).toBe('c-placeholder');
    expect(out.event.operator.open_id).toMatch(/^ou_recorded/);
    expect(out.event.action.form_value.reviewer).toBe(out.event.operator.open_id);
    expect(out.event.operator.user_id).toBe('recorded');
  });
});
