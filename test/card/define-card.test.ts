import { describe, expect, it } from 'vitest';
import { defineCard, type CardV1, type CardV2 } from '../../src/index.js';

describe('defineCard', () => {
  it('returns the card it was given, unchanged, for either version', () => {
    const v2 = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'Hi' }] } } satisfies CardV2;
    const v1 = { elements: [{ tag: 'hr' }] } satisfies CardV1;
    expect(defineCard(v2)).toBe(v2);
    expect(defineCard(v1)).toBe(v1);
    expect(defineCard(v2)).toEqual({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'Hi' }] } });
  });
});
