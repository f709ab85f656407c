/**
 * Cards that try to get script, handlers, URLs or styles of their own into a rendered page
 * (issue 11). Every host is made up and .example: a request to one is a failure.
 */
const evilCss = ';background:url(https://evil.example/css)';
export const XSS_MARKDOWN = [
  "see https://a.example/<text_tag color='x autofocus onfocus=alert(1) tabindex=0'>t</text_tag>",
  '[x](javascript:alert(2)) <a href="javascript:alert(3)">y</a> <link url="JaVaScRiPt:alert(4)">z</link>',
  '<img src=https://evil.example/img onerror=alert(5)><script>alert(6)</script>',
  `<font color='red${evilCss}'>f</font> ![i](https://evil.example/md-img)`,
  // A table row split on '|' must not cut inside an auto-link's href (the second row's URL text
  // became attributes of the first row's link).
  '| a |', '|---|', '| https://a.example/| |', '| https://b.example/autofocus/onfocus=alert(16)// |',
].join('\n');

export function xssCard(markdown = XSS_MARKDOWN): Record<string, unknown> {
  return {
    schema: '2.0',
    card_link: { url: 'javascript:alert(7)' },
    header: { title: { tag: 'plain_text', content: 'payloads', text_align: `left${evilCss}` }, template: 'x" onmouseover="alert(8)', text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: 'p' }, color: `red${evilCss}` }] },
    body: {
      elements: [
        { tag: 'markdown', content: markdown, margin: `0px${evilCss}` },
        { tag: 'button', text: { tag: 'plain_text', content: 'open' }, behaviors: [{ type: 'open_url', default_url: 'javascript:alert(9)' }] },
        { tag: 'column_set', columns: [{ tag: 'column', width: `10px${evilCss}`, elements: [{ tag: 'markdown', content: 'col' }] }] },
        { tag: 'img', img_key: '"><img src=https://evil.example/key onerror=alert(10)>', alt: { tag: 'plain_text', content: 'a' } },
      ],
    },
  };
}

export function xssCardV1(): Record<string, unknown> {
  return {
    elements: [
      { tag: 'div', text: { tag: 'lark_md', content: '[x](javascript:alert(11)) https://a.example/<text_tag color="x onfocus=alert(12) autofocus tabindex=0">t</text_tag>' } },
      { tag: 'action', actions: [
        { tag: 'button', text: { tag: 'plain_text', content: 'v1 url' }, url: 'javascript:alert(13)' },
        { tag: 'button', text: { tag: 'plain_text', content: 'v1 multi' }, multi_url: { url: 'javascript:alert(14)', pc_url: 'javascript:alert(15)' } },
      ] },
    ],
  };
}

/** Runs in the page: what of the DOM could run script or reach the network. */
export function dangerousDom(): string[] {
  const doc = (globalThis as any).document;
  const found: string[] = [];
  for (const el of doc.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = String(attr.name);
      const value = String(attr.value);
      if (name.startsWith('on')) found.push(`${el.tagName} ${name}`);
      if (/^\s*(javascript|data|vbscript):/i.test(value) && /^(href|src|data-url|data-card-link|action|formaction)$/.test(name)) found.push(`${el.tagName} ${name}=${value}`);
      if (name === 'style' && /url\(|expression|@import/i.test(value)) found.push(`${el.tagName} style=${value}`);
    }
    if (el.tagName === 'SCRIPT' && !el.closest('head') && el.textContent.includes('alert')) found.push('script element');
    if (el.tagName === 'IMG' || el.tagName === 'IFRAME') found.push(el.tagName);
  }
  return found;
}

/** Runs in the page: hovers, focuses and loads every element of the cards, to give any handler its chance. */
export function poke(selector: string): number {
  const doc = (globalThis as any).document;
  const W = globalThis as any;
  const all = [...doc.querySelectorAll(selector)];
  for (const el of all) {
    for (const type of ['mouseover', 'mouseenter', 'mousemove']) el.dispatchEvent(new W.MouseEvent(type, { bubbles: true }));
    el.dispatchEvent(new W.FocusEvent('focus'));
    if (typeof el.focus === 'function') el.focus();
  }
  return all.length;
}
