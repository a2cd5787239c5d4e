#!/usr/bin/env node
// `npx atom-sage …`: the native command line, run inside this Node process through the addon,
// so the package ships one native file per platform and no separate executable.
'use strict'

const { runCli } = require('../index.js')

process.exitCode = runCli(process.argv.slice(2))
