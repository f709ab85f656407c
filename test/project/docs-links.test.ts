import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The README and docs/ hold together: every relative link and anchor names what exists. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
export function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a page has, and the relative links it makes (outside code), with their lines. */
export function pageLinks(markdown: string): { anchors: Set<string>; links: Array<{ line: number; target: string }> } {
  const anchors = new Set<string>();
  const links: Array<{ line: number; target: string }> = [];
  let fence = false;
  for (const [i, raw] of markdown.split('\n').entries()) {
    if (raw.trim().startsWith('```')) fence = !fence;
    if (fence) continue;
    const heading = /^#{1,6} (.+)$/.exec(raw);
    if (heading) {
      const base = slug(heading[1]!.trim());
      let anchor = base;
      for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
      anchors.add(anchor);
    }
    const text = raw.replace(/`[^`]*`/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push({ line: i + 1, target });
    }
  }
  return { anchors, links };
}

describe('the README and docs/ link to what exists', () => {
  const pages = new Map(PAGES.map((p) => [p, pageLinks(readFileSync(join(ROOT, p), 'utf8'))]));

  it('every relative link names a file that exists, and a heading that exists', () => {
    const broken: string[] = [];
    for (const [page, { links }] of pages) {
      for (const { line, target } of links) {
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const file = path ? relative(ROOT, join(ROOT, dirname(page), decodeURIComponent(path))) : page;
        if (!existsSync(join(ROOT, file))) broken.push(`${page}:${line} ${target}: no file ${file}`);
        else if (anchor !== undefined && file.endsWith('.md')) {
          const known = pages.get(file)?.anchors ?? pageLinks(readFileSync(join(ROOT, file), 'utf8')).anchors;
          if (!known.has(anchor)) broken.push(`${page}:${line} ${target}: ${file} has no heading #${anchor}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README links every page of docs/', () => {
    const linked = new Set(pages.get('README.md')!.links.map((l) => l.target.split('#')[0]));
    expect(PAGES.filter((p) => p !== 'README.md' && !linked.has(p))).toEqual([]);
  });

  it('finds a broken link and a missing heading', () => {
    const { anchors, links } = pageLinks('# Sending to many: `card send … --to-file`\n\nSee [x](nope.md#y) and `[not](a-link)`.\n```sh\n# not a heading\n```\n');
    // As GitHub does: the ellipsis goes, each of the spaces around it becomes a dash.
    expect([...anchors]).toEqual(['sending-to-many-card-send----to-file']);
    expect(links).toEqual([{ line: 3, target: 'nope.md#y' }]);
  });
});
