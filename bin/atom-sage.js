#!/usr/bin/env node
// `npx atom-sage …`: the native command line, run inside this Node process through the addon,
// so the package ships one native file per platform and no separate executable.
//
// `atom-sage wrangler …` is the exception: the checks run in the addon, and wrangler is then
// started from here, so SIGINT, SIGTERM and SIGHUP reach it and its exit code is ours.
'use strict'

const { planWrangler, runCli } = require('../index.js')

const args = process.argv.slice(2)
if (args[0] === 'wrangler') {
  const plan = planWrangler(args.slice(1))
  if (plan.exitCode !== null) {
    process.exitCode = plan.exitCode
  } else {
    const { spawn } = require('node:child_process')
    const { constants } = require('node:os')
    const child = spawn(plan.program, plan.args, { cwd: plan.cwd, stdio: 'inherit', shell: process.platform === 'win32' })
    const pass = (signal) => child.kill(signal)
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, pass)
    child.on('error', (error) => {
      console.error(`error: starting ${plan.program}: ${error.message}`)
      process.exitCode = 2
    })
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? 128 + (constants.signals[signal] ?? 0)
    })
  }
} else {
  process.exitCode = runCli(args)
}
