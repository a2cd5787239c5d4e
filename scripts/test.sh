#!/usr/bin/env bash
# Runs every test: the Rust unit and integration tests of the workspace (including the
# differential test against wrangler 4.86.0, the real-config corpus and the local Cloudflare
# API), then the TypeScript example's type check and the Node tests on the built addon, which
# include installing the packed package and deploying through it to the local API.
# Installs what it needs first: the npm packages from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/wrangler ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

cargo test --workspace --locked
cargo build --locked -p cloudflare-api-local
npm run --silent build:debug
node node_modules/typescript/bin/tsc -p examples/ts-usage
node --test __test__/*.spec.mjs
