/**
 * Whether progress may be drawn as a spinner, which redraws one line with cursor controls.
 * Only on a terminal (and not in JSON mode), and not where the user or the terminal asked for
 * plain output: NO_COLOR (its users ask for output without terminal effects, and ora would
 * still leave a frame behind), TERM=dumb (no cursor controls), or CI (a log, not a screen; ora
 * draws nothing there either). With 0 columns a spinner's line-wrapping arithmetic never
 * finishes, so a terminal must also report a usable width. Elsewhere progress is plain lines.
 */
export function spinnerAllowed(out: { interactive: boolean; stderr: { columns?: number } }, env: NodeJS.ProcessEnv): boolean {
  if (!out.interactive) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb' || env.CI !== undefined) return false;
  const columns = out.stderr.columns;
  return typeof columns === 'number' && columns >= 20;
}
