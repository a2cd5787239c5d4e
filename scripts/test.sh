#!/usr/bin/env bash
# Runs every test: the Rust unit and integration tests (including the differential test against
# wrangler 4.86.0 and the real-config corpus), then the Node addon's tests on the built addon.
# Installs what it needs first: the npm packages from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/wrangler ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

cargo test --workspace --locked
npm run --silent build:debug
node --test __test__/*.spec.mjs
