import { describe, expect, it } from 'vitest';
import { scrub } from '../../src/callback/record.js';
import { redactCallback } from '../../src/callback/redact.js';
import { urlPreviewGet } from '../../src/callback/url-preview.js';
import { PREVIEW_TOKEN_PLACEHOLDER } from '../../src/callback/prepare.js';

/** A url.preview.get as `card listen` saves it and `card fixtures show` prints it: no token survives. */
const VERIFICATION = 'vt_made_up_verification_0123456789';
const payload = () => {
  const p = urlPreviewGet({
    app_id: 'cli_made_up_000001',
    tenant_key: 'tenant_made_up_9f',
    now: 1_700_000_000_000,
    operator: { open_id: 'ou_made0up1', union_id: 'on_made0up1', user_id: 'u_made_up' },
    url: 'https://example.com/orders/1',
    preview_token: 'pt_0000abcdef1234567890',
    message_id: 'om_made0up1',
    chat_id: 'oc_made0up1',
  }) as any;
  p.header.token = VERIFICATION;
  return p;
};

describe('url.preview.get recordings and fixtures hide tokens', () => {
  it('a recording keeps no verification token, preview token, tenant key, user id or real ids', () => {
    const saved = JSON.stringify(scrub(payload()));
    for (const secret of [VERIFICATION, 'pt_0000abcdef1234567890', 'tenant_made_up_9f', 'u_made_up', 'ou_made0up1', 'om_made0up1', 'oc_made0up1']) expect(saved).not.toContain(secret);
    expect(JSON.parse(saved).event.context.preview_token).toBe(PREVIEW_TOKEN_PLACEHOLDER);
  });

  it('fixtures show hides the verification token slot and any key in use wherever it sits', () => {
    expect(JSON.stringify(redactCallback(payload(), []))).not.toContain(VERIFICATION);
    expect(redactCallback({ a: 'ek_made_up_encrypt_key_42' }, ['ek_made_up_encrypt_key_42'])).toEqual({ a: expect.stringMatching(/^<redacted/) });
  });
});

describe('contact event recordings', () => {
  it('keep no mobile, email or open_department_id of the real tenant', () => {
    const event = {
      schema: '2.0',
      header: { event_id: 'e1', token: VERIFICATION, event_type: 'contact.user.updated_v1', tenant_key: 'tenant_made_up_9f', app_id: 'cli_made_up_000001' },
      event: {
        object: { open_id: 'ou_made0up1', name: 'Alice', mobile: '+8613912345678', email: 'alice@real.example', enterprise_email: 'alice@corp.example', department_ids: ['od-made0up0dept'], toString: 'kept' },
        old_object: { mobile: '+8613900000000', department_ids: ['od-made0up0dept'] },
      },
    };
    const saved = scrub(event) as any;
    const text = JSON.stringify(saved);
    for (const secret of [VERIFICATION, '+8613912345678', '+8613900000000', 'alice@real.example', 'alice@corp.example', 'od-made0up0dept', 'ou_made0up1']) expect(text).not.toContain(secret);
    // The same department is the same stand-in everywhere, so a replay still reads as one.
    expect(saved.event.object.department_ids[0]).toBe(saved.event.old_object.department_ids[0]);
    expect(saved.event.object.toString).toBe('kept');
  });
});
