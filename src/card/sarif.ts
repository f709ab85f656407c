import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LintReport } from './lint.js';

/** The base every relative location is resolved against: the working directory the lint ran in. */
const SRCROOT = '%SRCROOT%';

/**
 * Where a file is, as SARIF names it: relative to the working directory with `uriBaseId`, so a
 * code-scanning service maps it onto the repository (they match results by repository-relative
 * paths); a file outside that directory keeps its absolute file: URI.
 */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  if (file === '<stdin>') return { uri: 'stdin' };
  const rel = relative(cwd, resolve(cwd, file));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { uri: pathToFileURL(resolve(cwd, file)).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** SARIF 2.1.0, the format code-scanning tools (GitHub, GitLab, IDEs) read. */
export function toSarif(reports: LintReport[], version: string, cwd: string): object {
  // SARIF 2.1.0 §3.14.14: a base URI must end with a slash to resolve relative URIs under it.
  const base = pathToFileURL(cwd).href.replace(/\/?$/, '/');
  const rules = [...new Set(reports.flatMap((r) => r.problems.map((p) => p.rule)))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        originalUriBaseIds: { [SRCROOT]: { uri: base } },
        tool: { driver: { name: 'card lint', version, informationUri: 'https://www.npmjs.com/package/feishu-card-cli', rules: rules.map((id) => ({ id, name: id })) } },
        results: reports.flatMap((r) =>
          r.problems.map((p) => ({
            ruleId: p.rule,
            level: p.severity === 'error' ? 'error' : 'warning',
            message: { text: `${p.message} (at ${p.pointer || '/'})` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: artifactLocation(r.file, cwd),
                  ...(p.line !== null ? { region: { startLine: p.line, startColumn: p.column ?? 1 } } : {}),
                },
                logicalLocations: [{ fullyQualifiedName: p.pointer || '/', kind: 'object' }],
              },
            ],
          })),
        ),
      },
    ],
  };
}
