import { CliError } from '../output/errors.js';
import { checkCard, type CheckOptions, type RuleProblem, type Severity } from './check.js';
import type { CardObject } from './inspect.js';
import { jsonPointerPositions, positionOf } from './json-source.js';
import { parseJsonWithPosition } from './load.js';

export interface LintProblem extends RuleProblem {
  line: number | null;
  column: number | null;
}

export interface LintReport {
  file: string;
  /** The card's JSON version (wps for a WPS 协作 card), or null when the file is not a card. */
  version: '1.0' | '2.0' | 'wps' | null;
  problems: LintProblem[];
  errors: number;
  warnings: number;
}

export type LintOptions = CheckOptions;

/** Rules that mean the input is not a card file at all (bad input, exit 2), rather than a card that breaks a rule. */
export const INPUT_RULES = new Set(['json', 'encoding', 'input-depth', 'input-size', 'file']);

/** Past this many problems a file's list is cut (the counts stay whole): a wide input must not flood the output. */
export const MAX_PROBLEMS_SHOWN = 200;

export async function lintCard(card: CardObject, text: string | null, file: string, opts: LintOptions = {}): Promise<LintReport> {
  const { version, problems } = checkCard(card, opts);
  return finish(file, version, problems, text);
}

function finish(file: string, version: LintReport['version'], raw: RuleProblem[], text: string | null): LintReport {
  // Mapping pointers to lines costs more than the checks; only pay for it when there is something to show.
  const positions = text && raw.length ? jsonPointerPositions(text, raw.map((p) => p.pointer)) : null;
  const seen = new Set<string>();
  const problems: LintProblem[] = [];
  for (const p of raw) {
    const key = `${p.rule}\0${p.pointer}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pos = positions ? positionOf(positions, p.pointer) : null;
    problems.push({ ...p, line: pos?.line ?? null, column: pos?.column ?? null });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || (a.severity === 'error' ? -1 : 1));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (problems.length > MAX_PROBLEMS_SHOWN) {
    const cut = problems.length - MAX_PROBLEMS_SHOWN;
    problems.length = MAX_PROBLEMS_SHOWN;
    problems.push({ severity: 'warning', rule: 'too-many-problems', pointer: '', message: `${cut} more problems are not listed; fix these first`, line: null, column: null });
  }
  return { file, version, problems, errors, warnings };
}

/** A file that is not a card at all: one problem, at its line and column when known. */
export function inputProblem(file: string, err: unknown): LintReport {
  if (!(err instanceof CliError) || err.type !== 'usage') throw err;
  const details = (err.details ?? {}) as { line?: number; column?: number; pointer?: string };
  const rule = err.code === 'invalid_utf8' ? 'encoding' : err.code === 'input_too_deep' ? 'input-depth' : err.code === 'input_too_large' ? 'input-size' : details.line ? 'json' : 'file';
  const message = err.message.replace(`${file}:${details.line}:${details.column}: `, '').replace(`${file}: `, '');
  return {
    file,
    version: null,
    problems: [{ severity: 'error', rule, pointer: details.pointer ?? '', message, line: details.line ?? null, column: details.column ?? null }],
    errors: 1,
    warnings: 0,
  };
}

/** Lints card JSON text; a file that does not parse is one problem at its line and column. */
export async function lintText(text: string, file: string, opts: LintOptions = {}): Promise<LintReport> {
  let value: unknown;
  try {
    value = parseJsonWithPosition(text, file);
  } catch (err) {
    return inputProblem(file, err);
  }
  const { version, problems } = checkCard(value, opts);
  return finish(file, version, problems, text);
}

export type { Severity };
