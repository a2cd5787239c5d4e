// The npm package as a user gets it: packed with `npm pack`, installed from the tarballs into a
// fresh copy of examples/full-stack beside wrangler 4.86.0, then used the way its package.json
// scripts use it, ending in a real `wrangler deploy` against the local Cloudflare API.
import assert from 'node:assert/strict'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const platform = 'linux-x64-gnu'
const addon = join(root, `atom-sage.${platform}.node`)
const localApi =
  process.env.CLOUDFLARE_API_LOCAL_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug/cloudflare-api-local')
const scratch = mkdtempSync(join(tmpdir(), 'atom-sage-package-'))
const project = join(scratch, 'project')
const home = join(scratch, 'home')

// What wrangler and npm may not do here: phone home, or print colour codes into assertions.
const quiet = {
  ...process.env,
  HOME: home,
  XDG_CONFIG_HOME: home,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CI: '1',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  GITHUB_ACTIONS: '',
  CLOUDFLARE_API_TOKEN: '',
  CLOUDFLARE_ENV: '',
}

function run(command, args, env = {}) {
  return spawnSync(command, args, { cwd: project, encoding: 'utf8', env: { ...quiet, ...env } })
}

before(() => {
  assert.ok(existsSync(addon), `build the addon first (npm run build:debug): ${addon} is missing`)
  // The platform package as `napi pre-publish` fills it: its package.json and the addon.
  const platformDir = join(scratch, platform)
  cpSync(join(root, 'npm', platform), platformDir, { recursive: true })
  cpSync(addon, join(platformDir, `atom-sage.${platform}.node`))
  const pack = (dir) =>
    JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: dir, encoding: 'utf8' }))[0]
  // The main package as `napi pre-publish` makes it at release: its package.json gains one
  // optional dependency per platform package, which the repository's own does not list (they
  // are not on the registry before a release, so `npm ci` here could not lock them).
  const mainDir = join(scratch, 'main')
  for (const file of ['package.json', 'index.js', 'index.d.ts', 'README.md', 'bin']) {
    cpSync(join(root, file), join(mainDir, file), { recursive: true })
  }
  const manifest = JSON.parse(readFileSync(join(mainDir, 'package.json'), 'utf8'))
  manifest.optionalDependencies = Object.fromEntries(
    readdirSync(join(root, 'npm')).map((dir) => [`@atom-sage/cloudflare-${dir}`, manifest.version]),
  )
  writeFileSync(join(mainDir, 'package.json'), JSON.stringify(manifest, null, 2))
  const main = pack(mainDir)
  const native = pack(platformDir)
  // Only what a user needs is published: no sources, tests or build output.
  const files = main.files.map((f) => f.path).sort()
  assert.deepEqual(files, ['README.md', 'bin/atom-sage.js', 'bin/atom.js', 'index.d.ts', 'index.js', 'package.json'])

  cpSync(join(root, 'examples/full-stack'), project, { recursive: true })
  const install = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(scratch, native.filename), join(scratch, main.filename), 'wrangler@4.86.0'],
    { cwd: project, encoding: 'utf8', env: quiet },
  )
  assert.equal(install.status, 0, install.stderr)
})

after(() => rmSync(scratch, { recursive: true, force: true }))

test('npx atom-sage checks the installed project', () => {
  const version = run('npx', ['atom-sage', '--version'])
  assert.equal(version.status, 0, version.stderr)
  assert.equal(version.stdout.trim(), `atom-sage ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}`)
  const check = run('npx', ['atom-sage', 'check'])
  assert.equal(check.status, 0, check.stdout + check.stderr)
  assert.match(check.stdout, /0 errors, 0 warnings, 1 info/)
  const script = run('npm', ['run', '--silent', 'check'])
  assert.equal(script.status, 0, script.stderr)
  const intent = run('npx', ['atom', 'CHECK', 'Check notes-api in staging', '--json'])
  assert.equal(intent.status, 0, intent.stderr)
  assert.equal(JSON.parse(intent.stdout).environment, 'staging')
})

test('the package types resolve from the installed package under --strict', () => {
  cpSync(join(root, 'examples/ts-usage/index.ts'), join(project, 'usage.ts'))
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'Node16', moduleResolution: 'Node16', target: 'ES2022', types: ['node'], typeRoots: [join(root, 'node_modules/@types')] },
      files: ['usage.ts'],
    }),
  )
  const tsc = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'])
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr)
})

test('the one-line shell setup of the README makes `wrangler deploy --validate` work', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const setup = readme.split('\n').find((line) => line.startsWith('wrangler() {'))
  assert.ok(setup, 'the README shows the shell function')
  const outdir = join(scratch, 'dry-run')
  const shell = run('bash', ['-c', `${setup}\nwrangler deploy --validate --env staging --dry-run --outdir ${outdir}`])
  assert.equal(shell.status, 0, shell.stdout + shell.stderr)
  assert.match(shell.stderr, /0 errors, 0 warnings/)
  assert.match(shell.stdout, /--dry-run: exiting now\./)
  // From a subdirectory the package is found upward.
  const nested = spawnSync('bash', ['-c', `${setup}\nwrangler deploy --validate --env staging --dry-run --outdir ${outdir}`], { cwd: join(project, 'src'), encoding: 'utf8', env: quiet })
  assert.equal(nested.status, 0, nested.stdout + nested.stderr)
  assert.match(nested.stderr, /0 errors, 0 warnings/)
  // Outside a project with the package, the function is plain wrangler.
  const elsewhere = spawnSync('bash', ['-c', `${setup}\nwrangler --version`], { cwd: scratch, encoding: 'utf8', env: { ...quiet, PATH: `${join(project, 'node_modules/.bin')}:${process.env.PATH}` } })
  assert.equal(elsewhere.stdout.trim(), '4.86.0', elsewhere.stderr)
})

/** Starts the local Cloudflare API with `state`; resolves to its base URL and a stop function. */
async function startLocalApi(state) {
  assert.ok(existsSync(localApi), `build the local API first (cargo build -p cloudflare-api-local): ${localApi} is missing`)
  const file = join(scratch, 'state.json')
  writeFileSync(file, JSON.stringify(state))
  const server = spawn(localApi, ['--state', file, '--data-dir', join(scratch, 'api-data')], { stdio: ['ignore', 'pipe', 'pipe'] })
  const log = []
  createInterface({ input: server.stderr }).on('line', (line) => log.push(line))
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: server.stdout }).once('line', resolve)
    server.once('exit', (code) => reject(new Error(`the local API exited with ${code}: ${log.join('\n')}`)))
  })
  const base = line.replace(/^listening on /, '')
  return { base, log, stop: () => server.kill() }
}

/** The server logs each request on stderr; those lines are read while the test waits here. */
async function logged(api, pattern, timeout = 5000) {
  const start = Date.now()
  while (!api.log.some((line) => pattern.test(line))) {
    if (Date.now() - start > timeout) return false
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return true
}

/** Waits until the server's log has stopped growing, so counts taken after it are final. */
async function settled(api) {
  let before = -1
  while (before !== api.log.length) {
    before = api.log.length
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

test('npm run deploy:staging checks, then deploys with the project wrangler; errors stop it first', async (t) => {
  const api = await startLocalApi({
    zones: [{ name: 'example.com' }],
    kv_namespaces: [{ id: '5c2e0b1d9a8f4e3c7b6a5d4c3b2a1f0e', title: 'notes-sessions-staging' }],
    d1_databases: [{ name: 'notes-staging', uuid: '2b7c1a4e-8d3f-4c6b-9a2e-5f1d0c3b7a61' }],
    r2_buckets: [{ name: 'notes-attachments-staging' }],
    queues: [{ queue_name: 'notes-emails-staging' }, { queue_name: 'notes-emails-staging-dlq' }],
  })
  t.after(api.stop)
  const account = {
    CLOUDFLARE_API_BASE_URL: api.base,
    CLOUDFLARE_API_TOKEN: 'local-api-token-0123456789',
    CLOUDFLARE_ACCOUNT_ID: '0123456789abcdef0123456789abcdef',
  }
  const deploy = run('npm', ['run', 'deploy:staging'], account)
  assert.equal(deploy.status, 0, deploy.stdout + deploy.stderr)
  assert.match(deploy.stderr, /0 errors, 0 warnings/, 'the checks ran first')
  assert.match(deploy.stdout, /Uploaded notes-api-staging/, deploy.stdout)
  const upload = /^PUT \/client\/v4\/accounts\/\w+\/workers\/scripts\/notes-api-staging\?/
  assert.ok(await logged(api, upload), api.log.join('\n'))

  // A mistake in the config: the deploy stops before wrangler uploads anything.
  const config = join(project, 'wrangler.toml')
  writeFileSync(config, readFileSync(config, 'utf8').replace('5c2e0b1d9a8f4e3c7b6a5d4c3b2a1f0e', 'placeholder-kv-id'))
  await settled(api)
  const uploads = api.log.length
  const stopped = run('npm', ['run', 'deploy:staging'], account)
  assert.notEqual(stopped.status, 0)
  assert.match(stopped.stderr, /KV001/)
  assert.match(stopped.stderr, /not deploying to staging: 1 error above/)
  await settled(api)
  assert.equal(api.log.length, uploads, 'wrangler never called the API')

  // `--no-validate` hands the same deploy to wrangler untouched, which the API then refuses.
  const skipped = run('npm', ['run', 'deploy:staging', '--', '--no-validate'], account)
  assert.doesNotMatch(skipped.stderr, /not deploying/)
  await settled(api)
  assert.ok(api.log.length > uploads, 'wrangler ran')
  assert.notEqual(skipped.status, 0)
  assert.match(skipped.stdout + skipped.stderr, /code: 10042/, 'the upload is refused for the id KV001 named')
})
