// Lint of a 100-element JSON 2.0 card, in process: the first call (loading the precompiled
// validator) and the steady state. Aim: well under 50 ms.
import { fmt } from './lib.mjs';

function hundredElementCard() {
  const kinds = [
    (i) => ({ tag: 'markdown', content: `**Row ${i}** with <font color='red'>text</font>` }),
    (i) => ({ tag: 'button', element_id: `b${i}`, text: { tag: 'plain_text', content: `Button ${i}` }, type: 'primary', behaviors: [{ type: 'callback', value: { i } }] }),
    (i) => ({ tag: 'div', text: { tag: 'plain_text', content: `div ${i}` } }),
    () => ({ tag: 'hr' }),
  ];
  // 50 top-level elements, each with its text object, count 100 against the 2.0 limit.
  const elements = Array.from({ length: 50 }, (_, i) => kinds[i % kinds.length](i));
  return { schema: '2.0', config: { update_multi: true }, header: { title: { tag: 'plain_text', content: 'Bench' }, template: 'blue' }, body: { elements } };
}

export async function benchLint({ runs = 200 } = {}) {
  const { lintText } = await import('../dist/card/lint.js');
  const text = JSON.stringify(hundredElementCard(), null, 2);
  let t = performance.now();
  const first = await lintText(text, 'bench.json');
  const firstMs = performance.now() - t;
  if (first.errors) throw new Error(`bench card has lint errors: ${JSON.stringify(first.problems)}`);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await lintText(text, 'bench.json');
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  return { name: 'lint a 100-element card', value: median, line: `median ${fmt(median, 2)} ms, p95 ${fmt(samples[Math.floor(samples.length * 0.95)], 2)} ms, first call ${fmt(firstMs, 1)} ms (aim: well under 50 ms)` };
}
