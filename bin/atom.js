#!/usr/bin/env node
// `npx atom DEPLOY "…"`: an intent, parsed and run by the native command line in this process.
'use strict'

const { runAtom } = require('../index.js')

process.exitCode = runAtom(process.argv.slice(2))
