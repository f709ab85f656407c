import { readFileSync } from 'node:fs';
import type { Context } from '../../context.js';
import { INPUT_RULES, inputProblem, lintText, type LintReport } from '../../card/lint.js';
import { loadVarsFile, readSource } from '../../card/load.js';
import { printable } from '../../output/printable.js';
import { toSarif } from '../../card/sarif.js';
import { CliError, usageError } from '../../output/errors.js';

interface LintFlags {
  format: string;
  templateVars?: string;
  platform?: string;
  cardkit?: boolean;
}

export function formatReport(ctx: Context, r: LintReport): string {
  const s = ctx.out.style;
  const lines = [s.bold(printable(r.file)) + s.dim(r.version ? `  (${r.version === 'wps' ? 'WPS card' : `JSON ${r.version}`})` : '')];
  for (const p of r.problems) {
    const where = p.line !== null ? `${p.line}:${p.column}` : '-';
    const sev = p.severity === 'error' ? s.red('error  ') : s.yellow('warning');
    const pointer = printable(p.pointer.length > 120 ? `${p.pointer.slice(0, 60)}/…${p.pointer.slice(-40)}` : p.pointer);
    lines.push(`  ${where.padEnd(7)} ${sev}  ${printable(p.message)}  ${s.dim(`${p.rule}${pointer ? ` ${pointer}` : ''}`)}`);
  }
  if (!r.problems.length) lines.push(`  ${s.green('✓')} no problems`);
  return lines.join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function run(ctx: Context, files: string[], flags: LintFlags): Promise<void> {
  if (!['human', 'json', 'sarif'].includes(flags.format)) throw usageError(`--format must be human, json or sarif, not "${flags.format}"`);
  const format = ctx.out.json ? 'envelope' : flags.format;
  if (files.filter((f) => f === '-').length > 1) throw usageError('stdin (-) can be read only once');
  if (flags.platform !== undefined && flags.platform !== 'feishu' && flags.platform !== 'wps') throw usageError(`--platform must be feishu or wps, not "${flags.platform}"`);
  const templateVars = flags.templateVars ? await loadVarsFile(flags.templateVars, ctx.stdin, ctx.cwd) : undefined;
  const platform = flags.platform as 'feishu' | 'wps' | undefined;
  const reports: LintReport[] = [];
  for (const file of files) {
    let source;
    try {
      source = await readSource(file, ctx.stdin, 'card file', ctx.cwd);
    } catch (err) {
      // One unreadable file is a finding in the document, not the end of the run.
      reports.push(inputProblem(file === '-' ? '<stdin>' : file, err));
      continue;
    }
    reports.push(await lintText(source.text, source.name, { templateVars, platform, cardkit: flags.cardkit }));
  }
  const errors = reports.reduce((n, r) => n + r.errors, 0);
  const warnings = reports.reduce((n, r) => n + r.warnings, 0);
  const unreadable = reports.filter((r) => r.problems.some((p) => INPUT_RULES.has(p.rule))).map((r) => r.file);
  const summary = `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(reports.length, 'file')}`;
  const data = { errors, warnings, files: reports };

  // Every format writes its whole document on stdout, findings or not; the verdict is the exit code.
  if (format === 'sarif') {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    ctx.out.stdout.write(`${JSON.stringify(toSarif(reports, pkg.version, ctx.cwd), null, 2)}\n`);
  } else if (format === 'json') {
    ctx.out.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  } else if (format === 'human') {
    ctx.out.print(reports.map((r) => formatReport(ctx, r)).join('\n\n'));
  }
  const details = format === 'envelope' ? data : null;
  const hint = format === 'envelope' ? 'Each problem has its rule, JSON pointer, line and column.' : null;
  if (unreadable.length) {
    // A file that does not parse is bad input (exit 2), as it is for card send.
    throw new CliError('usage', `${unreadable.join(', ')} ${unreadable.length === 1 ? 'is' : 'are'} not card JSON; lint found ${summary}`, { code: 'invalid_input', details, hint });
  }
  if (errors) throw new CliError('check', `lint found ${summary}`, { code: 'lint_failed', details, hint });
  if (format === 'human') ctx.out.info(`\n${ctx.out.style.green('✓')} ${summary}`);
  else if (format !== 'envelope') ctx.out.info(summary);
  ctx.out.result(data);
}
