#!/usr/bin/env bash
# Benchmarks `atom-sage check --remote` on examples/full-stack against the local Cloudflare API
# (crates/cloudflare-api-local) serving examples/full-stack/account-state.json, with a fixed
# latency added to every answer (the server's global latency fault).
#
# Prints the wall time of each run, the time spent fetching the account (from the log), the
# number of API calls, their summed latency (calls x latency) and its ratio to the fetch time, to
# show the calls run concurrently: the run takes about the
# longest chain of dependent calls (verify the token, then list, then read what the list
# named), not the sum of all calls.
#
# Usage: scripts/bench-remote.sh [RUNS]        (default 5 runs)
# Environment:
#   LATENCY_MS       latency added to every answer (default 50)
#   ATOM_SAGE_API_CONCURRENCY  requests in flight (atom-sage's default: 16)
#   CARGO_TARGET_DIR where cargo builds (the binaries are built if missing)
# Needs: cargo, curl, python3. Everything stays on 127.0.0.1; nothing is downloaded.
# Exit: 0 done, 2 setup failure.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${1:-5}
LATENCY_MS=${LATENCY_MS:-50}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$ROOT"
cargo build -q --bin atom-sage -p atom-sage -p cloudflare-api-local || exit 2
ATOM_SAGE=$TARGET/debug/atom-sage
SERVER=$TARGET/debug/cloudflare-api-local

"$SERVER" --state examples/full-stack/account-state.json --data-dir "$WORK/data" \
  >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$WORK/server.out" 2>/dev/null && break
  sleep 0.1
done
BASE=$(sed -n 's/^listening on //p' "$WORK/server.out")
[[ -n $BASE ]] || { echo "the local API did not start" >&2; exit 2; }
CONTROL=${BASE%/client/v4}
curl -sf -X POST "$CONTROL/__control/faults" -d "{\"latency_ms\": $LATENCY_MS}" >/dev/null || exit 2

export CLOUDFLARE_API_BASE_URL=$BASE
export CLOUDFLARE_API_TOKEN=local-api-token-0123456789
export CLOUDFLARE_ACCOUNT_ID=0123456789abcdef0123456789abcdef
export ATOM_SAGE_LOG=atom_sage=info NO_COLOR=1

start=$(date +%s%N)
"$ATOM_SAGE" check examples/full-stack --format json >/dev/null 2>&1 || true
offline=$(( ($(date +%s%N) - start) / 1000000 ))
echo "atom-sage check examples/full-stack --remote, ${LATENCY_MS} ms added to every API answer, ${ATOM_SAGE_API_CONCURRENCY:-16} requests in flight at most"
echo "(the same check offline, for reference: ${offline} ms)"
printf '%-5s %10s %12s %7s %18s %7s\n' run wall_ms account_ms calls sum_latency_ms ratio
for run in $(seq "$RUNS"); do
  start=$(date +%s%N)
  "$ATOM_SAGE" check examples/full-stack --remote --format json >/dev/null 2>"$WORK/run.log" || true
  end=$(date +%s%N)
  wall=$(( (end - start) / 1000000 ))
  calls=$(sed -n 's/.*calls=\([0-9]*\).*/\1/p' "$WORK/run.log" | tail -1)
  account=$(sed -n 's/.*account fetched.* ms=\([0-9]*\).*/\1/p' "$WORK/run.log" | tail -1)
  [[ -n $calls ]] || { cat "$WORK/run.log" >&2; exit 2; }
  sum=$(( calls * LATENCY_MS ))
  ratio=$(python3 -c "print(f'{$sum / $account:.1f}x')")
  printf '%-5s %10s %12s %7s %18s %7s\n' "$run" "$wall" "$account" "$calls" "$sum" "$ratio"
done
echo
echo "The longest chain of dependent calls is 3 deep: token verify -> zones list -> DNS records"
echo "of the zone (and token verify -> D1 schema -> migrations table): $(( 3 * LATENCY_MS )) ms of latency."
echo "The 25 calls after the token verify exceed a pool of 16, so by default one more round of"
echo "latency is paid: 4 x ${LATENCY_MS} = $(( 4 * LATENCY_MS )) ms."
