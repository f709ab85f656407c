import { isObject } from '../card/inspect.js';
import { checkAnswer, returnedCard, type Problem } from './check-answer.js';
import { checkExpectations, subsetFailures, type Expectation, type ExpectationFailure } from './expect.js';
import type { Fixture } from './fixtures.js';
import { checkUrlPreviewAnswer } from './url-preview.js';

export interface Judged {
  ok: boolean;
  problems: Problem[];
  expectation_failures: ExpectationFailure[];
  notes: string[];
  answer: unknown;
}

/**
 * Judges what a handler answered, whatever carried it (an HTTP response, or a long-connection
 * ack whose `code` stands for the status and whose `data` for the body): the platform's rules,
 * `card lint`'s rules for a returned card (client error 200673), then the user's expectations.
 */
export async function judgeAnswer(
  fixture: Fixture,
  got: { status: number; location: string | null; bodyText: string; ms: number; budgetMs: number; challenge: string | null; strict?: boolean },
  opts: { expectations?: Expectation[]; expectSubset?: unknown },
): Promise<Judged> {
  const check = checkAnswer({ fixture, ...got });
  if (fixture.format === 'url.preview.get' && got.status === 200 && isObject(check.answer)) checkUrlPreviewAnswer(check.answer, check.problems);
  const returned = got.status === 200 ? returnedCard(check.answer, fixture.format) : null;
  if (returned) {
    // The linter and its validators load only for an answer that carries a card.
    const { lintCard } = await import('../card/lint.js');
    const report = await lintCard(returned.card, null, 'answer');
    for (const p of report.problems.filter((x) => x.severity === 'error')) {
      const path = returned.path + p.pointer.split('/').slice(1).map((k) => (/^\d+$/.test(k) ? `[${k}]` : `.${k.replace(/~1/g, '/').replace(/~0/g, '~')}`)).join('');
      check.problems.push({ path, message: `${p.message} [${p.rule}]` });
    }
  }
  const expectationFailures = [
    ...(opts.expectations?.length ? checkExpectations(check.answer, opts.expectations) : []),
    ...(opts.expectSubset !== undefined ? subsetFailures(check.answer, opts.expectSubset) : []),
  ];
  return {
    ok: check.problems.length === 0 && expectationFailures.length === 0,
    problems: check.problems,
    expectation_failures: expectationFailures,
    notes: check.notes,
    answer: check.answer,
  };
}
