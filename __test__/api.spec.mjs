// The addon's exports beyond validate: environment diff, intents and the audit trail.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const addon = require('../index.js')
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function project() {
  const dir = mkdtempSync(join(tmpdir(), 'atom-sage-api-'))
  writeFileSync(
    join(dir, 'wrangler.toml'),
    [
      'name = "api"',
      'main = "src/index.ts"',
      'compatibility_date = "2025-01-15"',
      '[env.staging.vars]',
      'LOG_LEVEL = "info"',
      '[env.production.vars]',
      'LOG_LEVEL = "debug"',
      '',
    ].join('\n'),
  )
  return dir
}

test('every documented export is there', () => {
  for (const name of ['validate', 'checkConfig', 'diffEnvironments', 'parseIntent', 'runCli', 'runAtom']) {
    assert.equal(typeof addon[name], 'function', name)
  }
  for (const name of ['append', 'verify', 'list']) {
    assert.equal(typeof addon.trail[name], 'function', `trail.${name}`)
  }
})

test('diffEnvironments compares two environments side by side', () => {
  const diff = addon.diffEnvironments(join(root, 'examples/full-stack'), 'staging', 'production')
  assert.equal(diff.left.name, 'staging')
  assert.equal(diff.right.production, true)
  assert.ok(diff.rows.length > 0)
  for (const row of diff.rows) {
    assert.ok(['same', 'differs', 'only_left', 'only_right'].includes(row.state), row.state)
  }
  assert.equal(diff.summary.errors, 0, JSON.stringify(diff.findings))
  const debug = addon.diffEnvironments(project(), 'staging', 'production')
  const finding = debug.findings.find((f) => f.kind === 'debug_in_production')
  assert.ok(finding, JSON.stringify(debug.findings))
  assert.throws(() => addon.diffEnvironments(project(), 'staging', 'qa'), /environment `qa` is not declared/)
  assert.throws(() => addon.diffEnvironments(join(tmpdir(), 'atom-sage-nowhere-42'), 'a', 'b'), /does not exist/)
})

test('parseIntent reads action, worker, version, environment and the CTFWI checks', () => {
  const intent = addon.parseIntent('DEPLOY "Deploy user-auth worker v2.3 to production - CTFWI: Validate all services"')
  assert.equal(intent.action, 'DEPLOY')
  assert.equal(intent.worker, 'user-auth')
  assert.equal(intent.version, 'v2.3')
  assert.equal(intent.environment, 'production')
  assert.deepEqual(intent.checks, [{ kind: 'all_services', service: null, from: null, to: null }])
  const matched = addon.parseIntent('CHECK "Check api in prod"', { path: project() })
  assert.equal(matched.environment, 'production')
  const unknown = addon.parseIntent('CHECK "Check api in qa"', { path: project() })
  assert.equal(unknown.environment, null)
  assert.equal(unknown.environmentWritten, 'qa')
  assert.throws(() => addon.parseIntent(''), /no action given/)
})

test('the trail appends, lists and verifies, and notices an edited line', () => {
  const dir = project()
  const started = addon.trail.append(dir, { action: 'deploy', environment: 'production', intent: 'Deploy api v1' })
  assert.match(started.tag, /^ATOM-DEPLOY-\d{8}-001$/)
  assert.equal(started.outcome, 'started')
  assert.equal(started.findings, null)
  const done = addon.trail.append(dir, { action: 'DEPLOY', outcome: 'succeeded', operation: started.tag, versionAfter: 'v-2' })
  assert.equal(done.prevHash, started.hash)
  assert.equal(done.versionIds.after, 'v-2')
  assert.deepEqual(addon.trail.list(dir).map((e) => e.tag), [started.tag, done.tag])
  assert.equal(addon.trail.verify(dir).problem, null)
  assert.throws(() => addon.trail.append(dir, { action: 'DEPLOY', outcome: 'won' }), /outcome `won`/)

  const file = join(dir, '.atom-sage/trail.jsonl')
  writeFileSync(file, readFileSync(file, 'utf8').replace('Deploy api v1', 'Deploy api v9'))
  const broken = addon.trail.verify(dir)
  assert.equal(broken.problem.line, 1)
  assert.equal(broken.problem.kind, 'changed')
})

test('the atom bin parses an intent and runs the check it names', () => {
  const atom = spawnSync(process.execPath, [join(root, 'bin/atom.js'), 'CHECK', 'Check api in production', '--json'], {
    cwd: join(root, 'examples/full-stack'),
    encoding: 'utf8',
  })
  assert.equal(atom.status, 0, atom.stderr)
  assert.equal(JSON.parse(atom.stdout).environment, 'production')
  const deploy = spawnSync(process.execPath, [join(root, 'bin/atom.js'), 'DEPLOY', 'Deploy api to production'], {
    cwd: join(root, 'examples/full-stack'),
    encoding: 'utf8',
  })
  assert.equal(deploy.status, 2)
  assert.match(deploy.stderr, /the intent names the worker `api`, but env\.production deploys `notes-api-production`; nothing was run/)
})
