export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Aligned columns for a terminal; tab-separated when piped, so scripts can cut them. */
export function table(rows: string[][], aligned: boolean): string {
  // No trailing separators or padding: an empty last cell leaves nothing at the end of the line.
  if (!aligned) return rows.map((r) => r.join('\t').replace(/\t+$/, '')).join('\n');
  const widths = rows.reduce<number[]>((w, r) => r.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
