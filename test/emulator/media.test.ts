import { describe, expect, it } from 'vitest';
import { findImageRefs, replaceImageRefs } from '../../src/card/image-refs.js';
import { multipartBody } from '../../src/feishu/multipart.js';
import { MediaStore } from '../../src/emulator/media.js';
import { MultipartError, parseMultipart } from '../../src/emulator/multipart.js';

describe('multipart', () => {
  it('round-trips text fields and binary files byte for byte', () => {
    const bytes = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255, 254]);
    const body = multipartBody([
      { name: 'image_type', value: 'message' },
      { name: 'image', value: { data: bytes, fileName: 'a"b\r\nc.png' } },
    ]);
    const parts = parseMultipart(body.data, body.contentType);
    expect(parts.get('image_type')!.data.toString()).toBe('message');
    expect(parts.get('image')!.data.equals(bytes)).toBe(true);
    // Quotes and line breaks in a file name cannot break out of its header.
    expect(parts.get('image')!.fileName).toBe('a_b__c.png');
  });

  it('refuses malformed bodies with a reason instead of throwing anything else', () => {
    const ok = multipartBody([{ name: 'a', value: 'b' }]);
    expect(() => parseMultipart(ok.data, 'multipart/form-data')).toThrow(MultipartError);
    expect(() => parseMultipart(ok.data.subarray(0, ok.data.length - 20), ok.contentType)).toThrow(MultipartError);
    expect(() => parseMultipart(Buffer.from('garbage'), ok.contentType)).toThrow(MultipartError);
    const many = multipartBody(Array.from({ length: 100 }, (_, i) => ({ name: `f${i}`, value: 'x' })));
    expect(() => parseMultipart(many.data, many.contentType)).toThrow(/more than 64 parts/);
  });
});

describe('image references in cards', () => {
  it('finds img_key, i18n_img_key and markdown images, and replaces them in place', () => {
    const card = {
      header: { icon: { tag: 'custom_icon', img_key: 'a.png' } },
      body: { elements: [{ tag: 'img', img_key: 'img_v3_x', i18n_img_key: { en_us: 'b.png' } }, { tag: 'markdown', content: '![x](a.png) and ![y](img_v3_y)' }] },
      'odd/~key': [[{ img_key: 'c.png' }]],
    };
    expect(findImageRefs(card).map((r) => `${r.pointer} ${r.value}`)).toEqual([
      '/header/icon/img_key a.png',
      '/body/elements/0/img_key img_v3_x',
      '/body/elements/0/i18n_img_key/en_us b.png',
      '/body/elements/1/content a.png',
      '/body/elements/1/content img_v3_y',
      '/odd~1~0key/0/0/img_key c.png',
    ]);
    replaceImageRefs(card, new Map([['a.png', 'img_v3_a'], ['b.png', 'img_v3_b']]));
    expect(card.header.icon.img_key).toBe('img_v3_a');
    expect(card.body.elements[0]!.i18n_img_key).toEqual({ en_us: 'img_v3_b' });
    expect(card.body.elements[1]!.content).toBe('![x](img_v3_a) and ![y](img_v3_y)');
  });

  it('walks a card nested 20,000 levels deep without overflowing the stack', () => {
    let node: Record<string, unknown> = { tag: 'img', img_key: 'deep.png' };
    for (let i = 0; i < 20_000; i++) node = { elements: [node] };
    expect(findImageRefs(node)).toHaveLength(1);
  });
});

describe('media store', () => {
  it('drops the oldest uploads past its byte bound and remembers which keys it dropped', () => {
    const store = new MediaStore(100);
    const add = () => store.add({ kind: 'image', app_id: 'cli_x', type: 'message', format: 'png', file_name: null, width: 1, height: 1, bytes: Buffer.alloc(40), created_at: 0 });
    const first = add();
    add();
    const third = add();
    expect(store.get(first.key)).toBeUndefined();
    expect(store.wasDropped(first.key)).toBe(true);
    expect(store.get(third.key)).toBeDefined();
    expect(store.totalBytes).toBeLessThanOrEqual(100);
  });
});

describe('images in rendered cards', () => {
  const card = { schema: '2.0', body: { elements: [{ tag: 'img', img_key: 'img_v3_known', alt: { tag: 'plain_text', content: 'a' } }, { tag: 'img', img_key: 'img_v3_unknown', alt: { tag: 'plain_text', content: 'b' } }] } };

  it('shows the images the page can load and a placeholder for the rest', async () => {
    const { renderCardHtml } = await import('../../src/card/render/html.js');
    const html = renderCardHtml(card, { imageSrc: (k) => (k === 'img_v3_known' ? '/_emulator/images/img_v3_known' : null) });
    expect(html).toContain('<img class="img-real" src="/_emulator/images/img_v3_known"');
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html).toContain('title="img_v3_unknown"');
    expect(renderCardHtml(card)).not.toContain('<img ');
  });

  it('never puts a source of another kind in src, whatever the lookup returns', async () => {
    const { renderCardHtml } = await import('../../src/card/render/html.js');
    for (const bad of ['https://evil.example/x.png', 'javascript:alert(1)', '/_emulator/images/x" onerror="alert(1)', 'data:image/svg+xml;base64,PHN2Zz4=', '//evil.example/x']) {
      const html = renderCardHtml(card, { imageSrc: () => bad });
      expect(html, bad).not.toContain('<img ');
    }
  });
});
