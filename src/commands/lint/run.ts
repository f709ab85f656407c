import { readFileSync } from 'node:fs';
import type { Context } from '../../context.js';
import { lintText, type LintReport } from '../../card/lint.js';
import { loadVarsFile, readSource } from '../../card/load.js';
import { toSarif } from '../../card/sarif.js';
import { CliError, usageError } from '../../output/errors.js';

interface LintFlags {
  format: string;
  templateVars?: string;
  platform?: string;
}

export function formatReport(ctx: Context, r: LintReport): string {
  const s = ctx.out.style;
  const lines = [s.bold(`${r.file}`) + s.dim(r.version ? `  (${r.version === 'wps' ? 'WPS card' : `JSON ${r.version}`})` : '')];
  for (const p of r.problems) {
    const where = p.line !== null ? `${p.line}:${p.column}` : '-';
    const sev = p.severity === 'error' ? s.red('error  ') : s.yellow('warning');
    lines.push(`  ${where.padEnd(7)} ${sev}  ${p.message}  ${s.dim(`${p.rule}${p.pointer ? ` ${p.pointer}` : ''}`)}`);
  }
  if (!r.problems.length) lines.push(`  ${s.green('✓')} no problems`);
  return lines.join('\n');
}

export async function run(ctx: Context, files: string[], flags: LintFlags): Promise<void> {
  const format = ctx.out.json ? 'json' : flags.format;
  if (!['human', 'json', 'sarif'].includes(format)) throw usageError(`--format must be human, json or sarif, not "${flags.format}"`);
  if (files.filter((f) => f === '-').length > 1) throw usageError('stdin (-) can be read only once');
  const templateVars = flags.templateVars ? await loadVarsFile(flags.templateVars, ctx.stdin) : undefined;
  if (flags.platform !== undefined && flags.platform !== 'feishu' && flags.platform !== 'wps') throw usageError(`--platform must be feishu or wps, not "${flags.platform}"`);
  const platform = flags.platform as 'feishu' | 'wps' | undefined;
  const reports: LintReport[] = [];
  for (const file of files) {
    const { text, name } = await readSource(file, ctx.stdin);
    reports.push(await lintText(text, name, { templateVars, platform }));
  }
  const errors = reports.reduce((n, r) => n + r.errors, 0);
  const warnings = reports.reduce((n, r) => n + r.warnings, 0);
  const summary = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${reports.length} file${reports.length === 1 ? '' : 's'}`;
  if (format === 'sarif') {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    ctx.out.stdout.write(`${JSON.stringify(toSarif(reports, pkg.version), null, 2)}\n`);
    // The document is on stdout; the verdict goes to stderr and the exit code.
    if (errors) throw new CliError('check', `lint found ${summary}`, { code: 'lint_failed' });
    ctx.out.info(summary);
    return;
  }
  if (format === 'human') {
    ctx.out.print(reports.map((r) => formatReport(ctx, r)).join('\n\n'));
    if (!errors) ctx.out.info(`\n${ctx.out.style.green('✓')} ${summary}`);
  }
  const data = { errors, warnings, files: reports };
  if (errors) throw new CliError('check', `lint found ${summary}`, { code: 'lint_failed', details: data, hint: format === 'human' ? null : 'Each problem has its rule, JSON pointer, line and column.' });
  ctx.out.result(data);
}
