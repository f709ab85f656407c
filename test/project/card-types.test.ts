import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedPackage } from '../helpers/installed-package.js';

/*
 * The card types as a bot project gets them: TypeScript files that import the installed package
 * (packed once per run, test/helpers/installed-package.ts) type-check under `tsc --strict`.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

let dir: string;

beforeAll(async () => {
  const { project } = await installedPackage();
  // A folder of its own inside the bot project, so `feishu-card-cli` resolves to the installed copy.
  dir = mkdtempSync(join(project, 'types-'));
  // As a bot project sets it up; @types/node from this repository, as the project would install it.
  const tsconfig = {
    compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] },
    include: ['*.ts'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Type-checks the folder with `tsc -p`, this repository's compiler (TypeScript 7, native), as a bot
 * project runs it: every file, the package's declarations (node_modules/feishu-card-cli) and the
 * others' too. Exit code 2 on errors, one `file(line,col): error TS…` line each.
 */
async function typecheck(): Promise<{ code: number; out: string }> {
  try {
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir });
    return { code: 0, out: '' };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: `${err.stdout}${err.stderr}` };
  }
}

const WRONG = '// @ts-expect-error a button\'s text is a text object, not a number';

const botTest = `import { defineCard, startEmulator as startBareEmulator, type Card, type CardV2, type CardV2ButtonElement } from 'feishu-card-cli';
import { cardAsText, interactiveElements, startEmulator, textOf, type TestMessage } from 'feishu-card-cli/testing';

export const approval = defineCard({
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: 'Expense approval' }, template: 'blue' },
  body: {
    elements: [
      { tag: 'markdown', content: 'Amount: 1280' },
      { tag: 'button', text: { tag: 'plain_text', content: 'Approve' }, behaviors: [{ type: 'callback', value: { action: 'approve' } }] },
    ],
  },
});

export const legacy = defineCard({ header: { title: { tag: 'plain_text', content: 'Old' } }, elements: [{ tag: 'div', text: { tag: 'lark_md', content: 'hi' } }] });

${WRONG}
export const broken = defineCard({
  schema: '2.0',
  body: {
    elements: [
      { tag: 'button', text: 42 },
    ],
  },
});

export async function check(m: TestMessage): Promise<string> {
  const title: string | undefined = m.card?.header?.title?.content;
  if (!m.card) return '';
  const c: Card = m.card;
  if (c.schema === '2.0') {
    for (const el of c.body?.elements ?? []) {
      if (el.tag === 'markdown') el.content.toUpperCase();
      if (el.tag === 'button') {
        const b: CardV2ButtonElement = el;
        b.text?.content;
      }
    }
  } else {
    for (const el of c.elements ?? []) if (el.tag === 'div') el.text?.content;
  }
  const v2: CardV2 = approval;
  const targets = interactiveElements(c).map((e) => e.target);
  return [title, textOf(v2.header?.title), cardAsText(c, { people: { ou_1: 'Alice' } }), targets.length].join();
}

export async function run(): Promise<void> {
  const emu = await startEmulator();
  const m = await emu.waitForMessage((x) => x.card?.header?.title?.content === 'Expense approval');
  await check(m);
  await emu.close();
  // The emulator's own views of what was sent are typed the same way.
  const bare = await startBareEmulator();
  const stored: string | undefined = bare.messages()[0]?.card?.header?.title?.content;
  await bare.close();
  return void stored;
}
`;

/** The ```js blocks of a page that use the testing library, as TypeScript with what they leave to the reader declared. */
function testingExamples(page: string): string[] {
  const text = readFileSync(join(ROOT, page), 'utf8');
  const blocks = [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => b.includes("from 'feishu-card-cli/testing'"));
  const prelude = 'declare const botUrl: string;\ndeclare function expect(value: unknown): { toEqual(expected: unknown): void };\n';
  return blocks.map((b) => `${prelude}${b}\nexport {};\n`);
}

/*
 * One tsc run checks every file: a bot test with the wrong field marked @ts-expect-error (it must
 * compile), the same file without the mark (it must fail, and only there), and the docs' examples.
 * tsc costs seconds per run, so the cases share one and each assertion reads its own file's errors.
 */
let checked: { code: number; out: string };

beforeAll(async () => {
  writeFileSync(join(dir, 'bot.test.ts'), botTest);
  writeFileSync(join(dir, 'bot-unmarked.ts'), botTest.replace(WRONG, ''));
  const examples = [...testingExamples('README.md'), ...testingExamples('docs/testing.md')];
  expect(examples.length).toBeGreaterThanOrEqual(2);
  examples.forEach((source, i) => writeFileSync(join(dir, `example-${i}.ts`), source));
  checked = await typecheck();
}, 300_000);

/** The lines tsc printed about one file. */
const errorsIn = (name: string) => checked.out.split('\n').filter((l) => l.startsWith(`${name}(`));

describe('the card types, in a TypeScript bot project with the package installed', () => {
  it('a bot test reads m.card.header?.title?.content and element fields with no cast; a wrong field is a type error', () => {
    expect(errorsIn('bot.test.ts')).toEqual([]);
    // Without the expect-error the wrong field fails the check, naming the field's type.
    const bad = errorsIn('bot-unmarked.ts');
    expect(bad.join('\n')).toMatch(/bot-unmarked\.ts\(\d+,\d+\): error TS2769: No overload matches this call/);
    expect(checked.out).toContain("Type 'number' is not assignable to type 'CardV2Text'");
    expect(checked.code).not.toBe(0);
  });

  it("the README's and docs/testing.md's testing examples compile under --strict", () => {
    expect(checked.out.split('\n').filter((l) => /^example-\d+\.ts\(/.test(l))).toEqual([]);
    // Every error tsc printed is the unmarked file's: nothing else failed to compile.
    expect(checked.out.split('\n').filter((l) => /\): error TS/.test(l) && !l.startsWith('bot-unmarked.ts('))).toEqual([]);
  });
});
