// The package's bin and the stdio protocol, driven from Node as other tools drive them: child
// processes, exit codes, one JSON message a line.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createInterface } from 'node:readline'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin/atom-sage.js')

function atomSage(args, options = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' },
    ...options,
  })
}

test('the bin runs the command line with its exit codes', () => {
  const version = atomSage(['--version'])
  assert.equal(version.status, 0)
  assert.match(version.stdout, /^atom-sage \d+\.\d+\.\d+\n$/)
  const clean = atomSage(['check', 'examples/full-stack'])
  assert.equal(clean.status, 0, clean.stderr)
  assert.match(clean.stdout, /0 errors, 0 warnings, 1 info/)
  const broken = atomSage(['check', 'examples/broken', '--format', 'json'])
  assert.equal(broken.status, 1)
  assert.equal(JSON.parse(broken.stdout).summary.errors, 20)
  const missing = atomSage(['check', 'examples/nope'])
  assert.equal(missing.status, 2)
  assert.match(missing.stderr, /examples\/nope does not exist/)
})

test('wrangler started from the bin keeps its output', () => {
  // Node marks its standard streams close-on-exec; the child must still get them.
  const forwarded = atomSage(['wrangler', '--version'], { cwd: join(root, 'examples/full-stack') })
  assert.equal(forwarded.status, 0, forwarded.stderr)
  assert.equal(forwarded.stdout.trim(), '4.86.0')
})

/** A protocol session with a server child: `send` a request, await its answer. */
function server() {
  const child = spawn(process.execPath, [bin, 'serve', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] })
  const waiting = new Map()
  createInterface({ input: child.stdout }).on('line', (line) => {
    const answer = JSON.parse(line)
    waiting.get(answer.id)?.(answer)
    waiting.delete(answer.id)
  })
  let next = 1
  return {
    child,
    send(method, params) {
      const id = next++
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`)
      return new Promise((resolve) => waiting.set(id, resolve))
    },
    exited: new Promise((resolve) => child.on('exit', resolve)),
  }
}

test('the stdio protocol answers validate, checkConfig and errors, then shuts down', async (t) => {
  const session = server()
  t.after(() => session.child.kill())
  const early = await session.send('validate', { path: 'examples/full-stack' })
  assert.equal(early.error.code, -32002)
  const init = await session.send('initialize', { clientInfo: { name: 'node-test' } })
  assert.equal(init.result.protocolVersion, '1.0')
  assert.ok(init.result.capabilities.methods.includes('checkConfig'))
  const report = await session.send('validate', { path: 'examples/full-stack', env: 'staging' })
  assert.deepEqual(report.result.environments.map((e) => e.name), [null, 'staging'])
  assert.equal(report.result.summary.errors, 0)
  const memory = await session.send('checkConfig', { text: 'name = "a"\nmain = "a.ts"\ncompatibility_date = "2099-01-01"\n', format: 'toml' })
  assert.ok(memory.result.diagnostics.some((d) => d.code === 'CMP002' && d.line === 3), JSON.stringify(memory.result.diagnostics))
  const unknown = await session.send('validate', { path: 'examples/full-stack', env: 'prod' })
  assert.equal(unknown.error.code, 1002)
  assert.deepEqual(unknown.error.data.available, ['staging', 'production'])
  const bad = await session.send('validate', { path: 42 })
  assert.equal(bad.error.code, -32602)
  const done = await session.send('shutdown')
  assert.equal(done.result, null)
  assert.equal(await session.exited, 0)
})

test('stopping the bin stops the wrangler it started, with wrangler\'s exit code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atom-sage-signal-'))
  writeFileSync(join(dir, 'wrangler.toml'), 'name = "a"\nmain = "a.js"\ncompatibility_date = "2025-01-15"\n')
  writeFileSync(join(dir, 'a.js'), 'export default {}\n')
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true })
  const log = join(dir, 'log')
  // A stand-in for wrangler that records what happens to it and ends with its own code.
  const fake = join(dir, 'node_modules/.bin/wrangler')
  writeFileSync(fake, `#!/bin/sh\ntrap 'echo TERM >> ${log}; exit 7' TERM\necho started >> ${log}\nfor i in $(seq 1 100); do sleep 0.1; done\n`)
  chmodSync(fake, 0o755)
  const child = spawn(process.execPath, [bin, 'wrangler', 'deploy', '--validate'], { cwd: dir, stdio: 'ignore' })
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)))
  const started = Date.now()
  while (!readFileSync(log, { encoding: 'utf8', flag: 'a+' }).includes('started')) {
    assert.ok(Date.now() - started < 30000, 'wrangler never started')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  child.kill('SIGTERM')
  assert.equal(await exited, 7)
  assert.equal(readFileSync(log, 'utf8'), 'started\nTERM\n')
})

test('runCli writes everything to a slow pipe Node has already written to', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atom-sage-pipe-'))
  const bindings = Array.from({ length: 3000 }, (_, i) => `[[kv_namespaces]]\nbinding = "KV_${i}"\nid = "placeholder-${i}"\n`)
  writeFileSync(join(dir, 'wrangler.toml'), `name = "big"\nmain = "a.ts"\ncompatibility_date = "2025-01-15"\n${bindings.join('')}`)
  const script = `console.log('first'); process.exitCode = require(${JSON.stringify(join(root, 'index.js'))}).runCli(['check', ${JSON.stringify(dir)}, '--format', 'json'])`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  // Read nothing for a while, so the pipe fills and the writer has to wait.
  child.stdout.pause()
  await new Promise((resolve) => setTimeout(resolve, 500))
  const chunks = []
  child.stdout.on('data', (chunk) => chunks.push(chunk))
  child.stdout.resume()
  const code = await new Promise((resolve) => child.on('exit', resolve))
  await new Promise((resolve) => setImmediate(resolve))
  const text = Buffer.concat(chunks).toString('utf8')
  assert.equal(code, 1, stderr)
  assert.ok(text.startsWith('first\n'))
  const report = JSON.parse(text.slice('first\n'.length))
  assert.equal(report.summary.errors, 3000)
  assert.ok(text.length > 1_000_000, `${text.length} bytes`)
})
