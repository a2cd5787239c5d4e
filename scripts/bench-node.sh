#!/usr/bin/env bash
# Benchmarks the npm package as users run it, side by side with wrangler in one run:
#
#   A. `validate` of examples/full-stack inside one Node process (scripts/bench-validate.mjs),
#      beside wrangler's `unstable_readConfig` reading one environment in the same process.
#   B. Start-up of the bins in a project that installed the packed package beside wrangler
#      4.86.0: `node_modules/.bin/atom-sage --version` (what npm scripts run), `npx atom-sage
#      --version`, and the same two for wrangler.
#
# Usage: scripts/bench-node.sh   (after `npm run build`, which the figures assume: release)
# Needs hyperfine, node, npm and node_modules (npm ci). Installs the package into a temporary
# project from the npm cache (--prefer-offline). Exit 2 when something is missing.

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
die() { echo "bench-node.sh: $*" >&2; exit 2; }
command -v hyperfine >/dev/null || die "hyperfine is not installed (apt-get install hyperfine)"
ADDON=atom-sage.linux-x64-gnu.node
[[ -f $ADDON ]] || die "$ADDON is missing; run 'npm run build' first"
[[ -d node_modules/wrangler ]] || die "node_modules is missing; run 'npm ci' first"

echo "== A. validate in process (examples/full-stack)"
node scripts/bench-validate.mjs examples/full-stack 500

echo "== B. start-up of the installed bins"
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
cp -r npm/linux-x64-gnu "$SCRATCH/platform"
cp "$ADDON" "$SCRATCH/platform/"
MAIN=$(npm pack --silent --pack-destination "$SCRATCH")
NATIVE=$(cd "$SCRATCH/platform" && npm pack --silent --pack-destination "$SCRATCH")
mkdir "$SCRATCH/project"
cp -r examples/full-stack/. "$SCRATCH/project/"
cd "$SCRATCH/project"
export HOME=$SCRATCH/home WRANGLER_SEND_METRICS=false WRANGLER_HIDE_BANNER=true CI=1 NO_UPDATE_NOTIFIER=1
npm install --silent --no-audit --no-fund --prefer-offline "$SCRATCH/$NATIVE" "$SCRATCH/$MAIN" wrangler@4.86.0
hyperfine --warmup 3 --runs 20 -N \
	'node_modules/.bin/atom-sage --version' \
	'node_modules/.bin/wrangler --version' \
	'npx atom-sage --version' \
	'npx wrangler --version'
