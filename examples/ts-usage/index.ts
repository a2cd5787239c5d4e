// Using @atom-sage/cloudflare from TypeScript. `npx tsc -p examples/ts-usage` type-checks this
// file under --strict against the package's generated declarations; it is also run as a script
// by the package test.
import {
  checkConfig,
  diffEnvironments,
  parseIntent,
  trail,
  validate,
  type Diagnostic,
  type EnvironmentDiff,
  type TrailEntry,
  type ValidationReport,
} from '@atom-sage/cloudflare'

/** One line per finding, the way an editor's problem list shows it. */
function describe(diagnostic: Diagnostic): string {
  const where = diagnostic.line === null ? diagnostic.file ?? 'config' : `${diagnostic.file}:${diagnostic.line}`
  return `${where} ${severityMark(diagnostic.severity)} ${diagnostic.code} ${diagnostic.message}`
}

/** Severities are a closed union: a new one would break this switch at compile time. */
function severityMark(severity: Diagnostic['severity']): string {
  switch (severity) {
    case 'error':
      return '✗'
    case 'warning':
      return '!'
    case 'info':
      return 'i'
    default: {
      const unreachable: never = severity
      return unreachable
    }
  }
}

/** Services are a closed union too: storage findings can be picked out by name. */
function isStorage(diagnostic: Diagnostic): boolean {
  const storage: ReadonlyArray<Diagnostic['service']> = ['kv', 'd1', 'r2']
  return storage.includes(diagnostic.service)
}

export async function report(path: string, env?: string): Promise<number> {
  const result: ValidationReport = await validate(path, env === undefined ? undefined : { env })
  for (const diagnostic of result.diagnostics) {
    console.log(describe(diagnostic), isStorage(diagnostic) ? '(storage)' : '')
  }
  return result.summary.errors
}

export async function inMemory(): Promise<string[]> {
  const text = '{ "name": "app", "main": "src/index.ts", "compatibility_date": "2025-01-15" }'
  const result = await checkConfig(text, 'jsonc', {})
  return result.diagnostics.map((d) => d.code)
}

/** What a staging→production promotion would carry over, in one line per difference. */
export function parity(path: string): string[] {
  const diff: EnvironmentDiff = diffEnvironments(path, 'staging', 'production')
  return diff.rows
    .filter((row) => row.state !== 'same')
    .map((row) => `${row.section} ${row.name}: ${row.left ?? '(none)'} → ${row.right ?? '(none)'}`)
}

/** Records an intent before acting on it, and its outcome after. */
export function record(path: string, line: string, succeeded: boolean): TrailEntry {
  const intent = parseIntent(line, { path })
  const started = trail.append(path, {
    action: intent.action,
    intent: intent.text,
    environment: intent.environment ?? undefined,
  })
  return trail.append(path, {
    action: intent.action,
    operation: started.tag,
    outcome: succeeded ? 'succeeded' : 'failed',
  })
}

/** Mistakes the declarations catch; never called. */
export function mistakes(): void {
  // @ts-expect-error: only toml, json and jsonc are config formats
  void checkConfig('', 'yaml')
  // @ts-expect-error: the report's severities are not free strings
  const severity: Diagnostic['severity'] = 'fatal'
  void severity
  // @ts-expect-error: an outcome is one of the recorded states
  trail.append('.', { action: 'DEPLOY', outcome: 'done' })
}
