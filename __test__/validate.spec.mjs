// Tests of the built Node addon. Run with `npm run build:debug && node --test __test__/`.
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { validate } = require('../index.js')
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function project(files) {
  const dir = mkdtempSync(join(tmpdir(), 'atom-sage-node-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

test('validate returns the full report of a clean example', async () => {
  const report = await validate(join(root, 'examples/full-stack'))
  assert.equal(report.schema, 1)
  assert.deepEqual(
    report.environments.map((env) => env.name),
    [null, 'staging', 'production'],
  )
  assert.equal(report.summary.errors, 0)
  assert.equal(report.summary.warnings, 0)
})

test('findings carry code, severity, environment and location', async () => {
  const dir = project({
    'wrangler.toml': [
      'name = "app"',
      'main = "src/index.ts"',
      'compatibility_date = "2025-01-15"',
      '[[kv_namespaces]]',
      'binding = "CACHE"',
      'id = "placeholder-kv-id"',
      '',
    ].join('\n'),
  })
  const report = await validate(dir)
  const finding = report.diagnostics.find((d) => d.code === 'KV001')
  assert.ok(finding, JSON.stringify(report.diagnostics))
  assert.equal(finding.severity, 'error')
  assert.equal(finding.service, 'kv')
  assert.equal(finding.binding, 'CACHE')
  assert.equal(finding.line, 6)
  assert.equal(finding.column, 6)
  // Absent values are null, as in the JSON report, not missing.
  assert.equal(finding.env, null)
  assert.equal(finding.note, null)
  assert.equal(report.summary.errors, 1)
})

test('only the requested environment is checked with options.env', async () => {
  const dir = project({
    'wrangler.toml': 'name = "a"\nmain = "a.ts"\ncompatibility_date = "2025-01-15"\n[env.staging]\n[env.production]\n',
  })
  const report = await validate(dir, { env: 'production' })
  assert.deepEqual(report.environments.map((env) => env.name), [null, 'production'])
  await assert.rejects(validate(dir, { env: 'nope' }), /environment `nope` is not declared/)
})

test('a config that does not parse is a finding with its line, not a rejection', async () => {
  const dir = project({ 'wrangler.jsonc': '{\n  "name": "a"\n  "main": "x"\n}\n' })
  const report = await validate(dir)
  assert.equal(report.diagnostics[0].code, 'CFG001')
  assert.equal(report.diagnostics[0].line, 3)
})

test('a missing directory rejects with a clear message', async () => {
  await assert.rejects(validate(join(tmpdir(), 'atom-sage-does-not-exist-42')), /does not exist/)
})

test('validate runs off the main thread', async () => {
  // A config large enough that checking it takes a while: the synchronous part of the call must
  // only queue the work, so it returns long before the promise settles.
  const bindings = Array.from(
    { length: 20000 },
    (_, i) => `[[kv_namespaces]]\nbinding = "KV_${i}"\nid = "${i.toString(16).padStart(32, '0')}"\n`,
  )
  const dir = project({ 'wrangler.toml': `name = "big"\nmain = "a.ts"\ncompatibility_date = "2025-01-15"\n${bindings.join('')}` })
  const start = performance.now()
  const pending = validate(dir)
  const returned = performance.now() - start
  let ticks = 0
  const timer = setInterval(() => ticks++, 0)
  const report = await pending
  clearInterval(timer)
  const settled = performance.now() - start
  assert.equal(report.summary.errors, 0)
  assert.ok(returned < settled / 4, `the call blocked for ${returned} ms of ${settled} ms`)
  assert.ok(ticks > 0, 'the event loop did not turn while validating')
})

test('checkConfig checks a config held in memory, at lines of that text', async () => {
  const { checkConfig } = require('../index.js')
  const text = '{\n  "name": "app",\n  "main": "src/index.ts",\n  "compatibility_date": "2025-01-15",\n  "kv_namespaces": [{ "binding": "CACHE", "id": "nope" }]\n}\n'
  const report = await checkConfig(text, 'jsonc')
  assert.equal(report.config, 'wrangler.jsonc')
  const finding = report.diagnostics.find((d) => d.code === 'KV001')
  assert.ok(finding, JSON.stringify(report.diagnostics))
  assert.equal(finding.file, 'wrangler.jsonc')
  assert.equal(finding.line, 5)
  // Nothing around an in-memory config is read, so nothing says `main` is missing.
  assert.equal(report.summary.errors, 1, JSON.stringify(report.diagnostics))
})

test('checkConfig reads the files around the config when given a directory', async () => {
  const { checkConfig } = require('../index.js')
  const dir = project({ 'src/index.ts': 'export default { fetch(_r, env) { return env.DB.prepare("SELECT 1").all() } }\n' })
  const text = 'name = "app"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-15"\n'
  const report = await checkConfig(text, 'toml', { directory: dir })
  const finding = report.diagnostics.find((d) => d.code === 'COD001')
  assert.ok(finding, `the code was read: ${JSON.stringify(report.diagnostics)}`)
  await assert.rejects(checkConfig(text, 'toml', { directory: join(dir, 'nope') }), /does not exist/)
  await assert.rejects(checkConfig(text, 'toml', { env: 'production' }), /environment `production` is not declared/)
  assert.throws(() => checkConfig(text, 'yaml'), /expected 'toml', 'json' or 'jsonc'/)
})
