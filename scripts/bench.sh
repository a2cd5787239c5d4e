#!/usr/bin/env bash
# Benchmarks `atom-sage check` against wrangler's own config reading (wrangler's
# `unstable_readConfig`, the installed devDependency), side by side in one run.
#
#   A. examples/full-stack: `atom-sage check --format json examples/full-stack` (every
#      environment) vs one Node process reading ONE environment (production) with wrangler.
#      Plus the start-up floors (`atom-sage --version`, `node -e 0`) to read A by.
#   B. The real-config corpus (262 configs, laid out as their projects in a temp dir):
#      atom-sage run once per config through one `xargs` (every environment of each) vs
#      one Node process reading every config with wrangler (every environment; and, as a
#      second row, the top level only).
#   C. Peak memory (max RSS) of atom-sage on full-stack, on the largest corpus config and
#      the maximum over the whole corpus, plus wrangler's on full-stack for context.
#
# Ends with a Markdown summary (figures + the exact commands).
#
# Usage: scripts/bench.sh            (from any directory)
# Environment:
#   ATOM_SAGE_BIN      atom-sage binary (default: <repo>/target/release/atom-sage, built if missing)
#   ATOM_SAGE_SHARED   shared dir holding corpus/real-configs (default: <repo>/../shared)
#   BENCH_SUMMARY      also write the Markdown summary to this file
# Needs: hyperfine, node, python3, node_modules/wrangler. Installs nothing. Never touches the
# network: the wrangler side runs with the same guards as tests/oracle/read-config.mjs.
# Exit: 0 done (whatever the figures), 2 missing tool / setup failure.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${ATOM_SAGE_SHARED:-$ROOT/../shared}
CORPUS=$SHARED/corpus/real-configs
WRANGLER_READ=scripts/bench-wrangler-read.mjs
EXAMPLE=examples/full-stack
EXAMPLE_ENV=production

die() {
	echo "bench.sh: $*" >&2
	exit 2
}
say() { printf '\n== %s\n' "$*" >&2; }

# --- tools ------------------------------------------------------------------------------
if ! command -v hyperfine >/dev/null 2>&1; then
	echo "bench.sh: hyperfine is not installed." >&2
	echo "  Install it with:  apt-get install hyperfine   (or: cargo install hyperfine)" >&2
	exit 2
fi
command -v node >/dev/null 2>&1 || die "node is not installed (needed for the wrangler side)"
command -v python3 >/dev/null 2>&1 || die "python3 is not installed (needed to lay out the corpus)"
[[ -f $ROOT/node_modules/wrangler/package.json ]] ||
	die "$ROOT/node_modules/wrangler is missing; run 'npm ci' in $ROOT"
[[ -f $CORPUS/INDEX.tsv && -f $CORPUS/MIGRATIONS.tsv ]] ||
	die "corpus not found at $CORPUS (set ATOM_SAGE_SHARED)"
WRANGLER_VERSION=$(node -p 'require(process.argv[1]).version' "$ROOT/node_modules/wrangler/package.json")
[[ $WRANGLER_VERSION == 4.86.0 ]] || echo "bench.sh: note: wrangler is $WRANGLER_VERSION, not 4.86.0" >&2
HYPERFINE_VERSION=$(hyperfine --version | awk '{print $2}')
NODE_VERSION=$(node --version)

# --- binary -----------------------------------------------------------------------------
if [[ -n ${ATOM_SAGE_BIN:-} ]]; then
	BIN=$ATOM_SAGE_BIN
	[[ -x $BIN ]] || die "ATOM_SAGE_BIN=$BIN is not an executable file"
else
	BIN=$ROOT/target/release/atom-sage
	if [[ ! -x $BIN ]]; then
		say "building $BIN (cargo build --release)"
		(cd "$ROOT" && cargo build --release) >&2 || die "cargo build --release failed"
	fi
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
# How the binary is shown in the summary: relative to the repository when inside it.
BIN_SHOWN=${BIN#"$ROOT"/}
ATOM_SAGE_VERSION=$("$BIN" --version 2>/dev/null || echo "atom-sage ?")
BIN_MTIME=$(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo "?")
# Which source tree the repository is at (the binary may be older: see BIN_MTIME).
GIT_STATE=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || true)
if [[ -n $GIT_STATE ]] && [[ -n $(cd "$ROOT" && git status --porcelain -- src Cargo.toml Cargo.lock build.rs 2>/dev/null) ]]; then
	GIT_STATE="$GIT_STATE + uncommitted changes to src/ or Cargo.*"
fi

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/atom-sage-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"

# --- corpus layout ----------------------------------------------------------------------
# Same layout as scripts/corpus-findings.py: each config at its path in its repository under
# <tmp>/corpus/<n>/, with (empty) files named like its D1 migrations.
say "laying out the corpus under $TMP/corpus"
ATOM_SAGE_SHARED="$SHARED" python3 "$ROOT/scripts/corpus-findings.py" --layout "$TMP/corpus" >"$TMP/layout.tsv"
cut -f1 "$TMP/layout.tsv" >"$TMP/configs.txt"
# The largest config, for the peak-memory row: path, corpus name, size.
while IFS=$'\t' read -r config name; do
    printf '%s\t%s\t%s\n' "$config" "$name" "$(stat -c %s "$config")"
done <"$TMP/layout.tsv" | sort -t $'\t' -k3,3n | tail -n 1 >"$TMP/largest.txt"
N_CONFIGS=$(wc -l <"$TMP/configs.txt")
IFS=$'\t' read -r LARGEST LARGEST_NAME LARGEST_BYTES <"$TMP/largest.txt"

# --- sanity pass (not timed by hyperfine) -----------------------------------------------
# Every corpus config once: exit codes, environments checked (from the JSON report), and a
# rough per-config wall time (best of 3, bash clock, includes fork/exec) to spot outliers.
say "sanity pass: atom-sage on each corpus config (exit codes, environments, slowest configs)"
mkdir -p "$TMP/out"
n=0
: >"$TMP/pertime.tsv"
while IFS= read -r config; do
	best=
	for _ in 1 2 3; do
		t0=$EPOCHREALTIME
		rc=0
		"$BIN" check --format json --config "$config" >"$TMP/out/$n.json" 2>"$TMP/out/$n.err" || rc=$?
		t1=$EPOCHREALTIME
		us=$((10#${t1//[.,]/} - 10#${t0//[.,]/})) # EPOCHREALTIME: seconds.micros (locale separator)
		[[ -z $best || $us -lt $best ]] && best=$us
	done
	printf '%s\t%s\t%s\t%s\n' "$n" "$rc" "$best" "${config#"$TMP"/corpus/}" >>"$TMP/pertime.tsv"
	n=$((n + 1))
done <"$TMP/configs.txt"

# The wrangler side must run cleanly (and offline) before it is timed.
WR_ONE_OUT=$(node "$WRANGLER_READ" "$EXAMPLE/wrangler.toml" "$EXAMPLE_ENV") ||
	die "wrangler refused $EXAMPLE ($EXAMPLE_ENV) or the helper failed: $WR_ONE_OUT"
WR_ALL_OUT=$(node "$WRANGLER_READ" --list "$TMP/configs.txt" --all-envs) || die "wrangler corpus read failed"
WR_TOP_OUT=$(node "$WRANGLER_READ" --list "$TMP/configs.txt") || die "wrangler corpus read failed"
echo "$WR_ALL_OUT" >&2
echo "$WR_TOP_OUT" >&2
"$BIN" check --format json "$EXAMPLE" >/dev/null ||
	die "atom-sage reports findings on $EXAMPLE (exit $?); it should be clean"

# --- A: full-stack ----------------------------------------------------------------------
A_SAGE="$(printf %q "$BIN") check --format json $EXAMPLE"
A_WR="node $WRANGLER_READ $EXAMPLE/wrangler.toml $EXAMPLE_ENV"
say "A: $EXAMPLE (hyperfine, no shell)"
hyperfine -N --style basic --warmup 5 --min-runs 20 --export-json "$TMP/a.json" \
	-n "atom-sage check (all environments)" "$A_SAGE" \
	-n "wrangler readConfig ($EXAMPLE_ENV only)" "$A_WR" >&2

# Start-up floors, for reading A: the same binary doing no checking, and a bare Node.
say "A': start-up floors (hyperfine, no shell)"
hyperfine -N --style basic --warmup 5 --export-json "$TMP/floor.json" \
	-n "atom-sage --version (process start only)" "$(printf %q "$BIN") --version" \
	-n "node -e 0 (bare Node start)" "node -e 0" >&2

# --- B: corpus --------------------------------------------------------------------------
# xargs exits 123 when some atom-sage run exited 1-125 (1 = findings, expected on the corpus;
# exit codes >= 2 are reported by the sanity pass above).
LIST_Q=$(printf %q "$TMP/configs.txt")
B_SAGE="xargs -a $LIST_Q -d '\\n' -n 1 $(printf %q "$BIN") check --format json --config >/dev/null || [ \$? -eq 123 ]"
B_WR_ALL="node $WRANGLER_READ --list $LIST_Q --all-envs"
B_WR_TOP="node $WRANGLER_READ --list $LIST_Q"
say "B: corpus, $N_CONFIGS configs (hyperfine)"
hyperfine --style basic --warmup 1 --min-runs 10 --export-json "$TMP/b.json" \
	-n "atom-sage check x$N_CONFIGS (xargs, all environments)" "$B_SAGE" \
	-n "wrangler readConfig, 1 process (all environments)" "$B_WR_ALL" \
	-n "wrangler readConfig, 1 process (top level only)" "$B_WR_TOP" >&2

# --- C: peak memory ---------------------------------------------------------------------
say "C: peak memory (max RSS)"
# GNU time: /usr/bin/time when present, else a `time` executable in PATH (not bash's keyword).
if [[ -x /usr/bin/time ]]; then TIME_BIN=/usr/bin/time; else TIME_BIN=$(type -P time || true); fi
TIME_MODE=none
if [[ -n $TIME_BIN ]]; then
	if "$TIME_BIN" -f %M -o "$TMP/t" true 2>/dev/null && [[ $(tail -n1 "$TMP/t") =~ ^[0-9]+$ ]]; then
		TIME_MODE=format
	elif "$TIME_BIN" -v true 2>"$TMP/t" >/dev/null && grep -q 'Maximum resident set size' "$TMP/t"; then
		TIME_MODE=verbose
	fi
fi
# rss_kib CMD... -> prints the max RSS in KiB ("" when unavailable); CMD's exit code ignored.
rss_kib() {
	case $TIME_MODE in
	format)
		"$TIME_BIN" -f %M -o "$TMP/t" "$@" >/dev/null 2>&1 || true
		tail -n1 "$TMP/t"
		;;
	verbose)
		"$TIME_BIN" -v "$@" 2>"$TMP/t" >/dev/null || true
		awk -F': *' '/Maximum resident set size/ {print $2}' "$TMP/t"
		;;
	*) echo "" ;;
	esac
}
RSS_EXAMPLE= RSS_LARGEST= RSS_CORPUS_MAX= RSS_CORPUS_MAX_CONFIG= RSS_WR_EXAMPLE=
if [[ $TIME_MODE == none ]]; then
	echo "bench.sh: no GNU time found (/usr/bin/time, or 'time' in PATH); peak memory not measured." >&2
	echo "  Install it with:  apt-get install time" >&2
else
	# Best (lowest) of 3 runs each: RSS barely varies, this only drops one-off page-cache effects.
	best_rss() {
		local best= v
		for _ in 1 2 3; do
			v=$(rss_kib "$@")
			[[ -z $best || $v -lt $best ]] && best=$v
		done
		echo "$best"
	}
	RSS_EXAMPLE=$(best_rss "$BIN" check --format json "$EXAMPLE")
	RSS_LARGEST=$(best_rss "$BIN" check --format json --config "$LARGEST")
	RSS_WR_EXAMPLE=$(best_rss node "$WRANGLER_READ" "$EXAMPLE/wrangler.toml" "$EXAMPLE_ENV")
	while IFS= read -r config; do
		v=$(rss_kib "$BIN" check --format json --config "$config")
		if [[ -z $RSS_CORPUS_MAX || $v -gt $RSS_CORPUS_MAX ]]; then
			RSS_CORPUS_MAX=$v
			RSS_CORPUS_MAX_CONFIG=${config#"$TMP"/corpus/}
		fi
	done <"$TMP/configs.txt"
fi

# --- summary ----------------------------------------------------------------------------
say "summary"
CPU_MODEL=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
export BENCH_TMP=$TMP BENCH_N_CONFIGS=$N_CONFIGS BENCH_DATE=$(date -u '+%Y-%m-%d %H:%M UTC') \
	BENCH_NPROC=$(nproc) BENCH_CPU=${CPU_MODEL:-unknown} BENCH_KERNEL=$(uname -r) \
	BENCH_ATOM_SAGE_VERSION=$ATOM_SAGE_VERSION BENCH_WRANGLER_VERSION=$WRANGLER_VERSION \
	BENCH_NODE_VERSION=$NODE_VERSION BENCH_HYPERFINE_VERSION=$HYPERFINE_VERSION \
	BENCH_LOAD_START=$LOAD_START BENCH_LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?") \
	BENCH_BIN_OVERRIDE=${ATOM_SAGE_BIN:+yes} BENCH_BIN_SHOWN=$BIN_SHOWN BENCH_BIN=$BIN BENCH_BIN_MTIME=$BIN_MTIME BENCH_GIT_STATE=${GIT_STATE:-unknown} BENCH_EXAMPLE=$EXAMPLE BENCH_EXAMPLE_ENV=$EXAMPLE_ENV \
	BENCH_WRANGLER_READ=$WRANGLER_READ BENCH_WR_ALL_OUT=$WR_ALL_OUT BENCH_WR_TOP_OUT=$WR_TOP_OUT \
	BENCH_LARGEST_NAME=$LARGEST_NAME BENCH_LARGEST_BYTES=$LARGEST_BYTES \
	BENCH_TIME_MODE=$TIME_MODE BENCH_TIME_BIN=${TIME_BIN:-none} \
	BENCH_RSS_EXAMPLE=$RSS_EXAMPLE BENCH_RSS_LARGEST=$RSS_LARGEST BENCH_RSS_WR_EXAMPLE=$RSS_WR_EXAMPLE \
	BENCH_RSS_CORPUS_MAX=$RSS_CORPUS_MAX BENCH_RSS_CORPUS_MAX_CONFIG=$RSS_CORPUS_MAX_CONFIG
python3 - <<'PY' | tee "${BENCH_SUMMARY:-/dev/null}"
import json, math, os, statistics
e = os.environ
tmp = e["BENCH_TMP"]
n = int(e["BENCH_N_CONFIGS"])
a = json.load(open(os.path.join(tmp, "a.json")))["results"]
b = json.load(open(os.path.join(tmp, "b.json")))["results"]
floor = json.load(open(os.path.join(tmp, "floor.json")))["results"]

def ms(s): return s * 1e3
def fmt_ms(r): return f"{ms(r['mean']):.2f} ms ± {ms(r['stddev']):.2f}"
def ratio(num, den):
    q = num["mean"] / den["mean"]
    err = q * math.hypot(num["stddev"] / num["mean"], den["stddev"] / den["mean"])
    return q, err
def mib(kib): return f"{int(kib) / 1024:.1f} MiB" if kib else "not measured"

# Sanity pass: exit codes, environments, per-config times.
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(tmp, "pertime.tsv"))]
exits = {}
for idx, rc, us, cfg in rows:
    exits[rc] = exits.get(rc, 0) + 1
envs = 0
for idx, rc, us, cfg in rows:
    try:
        envs += len(json.load(open(os.path.join(tmp, "out", f"{idx}.json")))["environments"])
    except Exception:
        pass
times = sorted(((int(us), cfg) for idx, rc, us, cfg in rows), reverse=True)
median_us = statistics.median(t for t, _ in times)
failures = [(cfg, rc) for idx, rc, us, cfg in rows if rc not in ("0", "1")]

ra, rb_all, rb_top = ratio(a[1], a[0]), ratio(b[1], b[0]), ratio(b[2], b[0])
rss_ex = e["BENCH_RSS_EXAMPLE"]; rss_lg = e["BENCH_RSS_LARGEST"]; rss_max = e["BENCH_RSS_CORPUS_MAX"]
goal_speed = "met" if ra[0] >= 100 else "NOT met"
rss_all = [int(x) for x in (rss_ex, rss_lg, rss_max) if x]
goal_mem = ("met" if max(rss_all) < 15 * 1024 else "NOT met") if rss_all else "not measured"

p = print
p("## atom-sage benchmark")
p()
p(f"- Date: {e['BENCH_DATE']}")
p(f"- Machine: {e['BENCH_NPROC']} CPUs ({e['BENCH_CPU']}), Linux {e['BENCH_KERNEL']}")
p(f"- Versions: {e['BENCH_ATOM_SAGE_VERSION']} (release build), wrangler {e['BENCH_WRANGLER_VERSION']}, "
  f"node {e['BENCH_NODE_VERSION']}, hyperfine {e['BENCH_HYPERFINE_VERSION']}")
p(f"- Binary: `{e['BENCH_BIN']}` (built {e['BENCH_BIN_MTIME']}"
  + ("; given by ATOM_SAGE_BIN" if e.get("BENCH_BIN_OVERRIDE") else "") + f"); repository checkout at {e['BENCH_GIT_STATE']}")
p(f"- Load average (1, 5, 15 min) at start: {e['BENCH_LOAD_START']}; at end: {e['BENCH_LOAD_END']} "
  "(the benchmark itself keeps about one core busy)")
p()
p(f"### A. `{e['BENCH_EXAMPLE']}`: one atom-sage process (every environment) vs one wrangler process (one environment)")
p()
p("| command | mean ± σ | median | min | runs |")
p("|---|---:|---:|---:|---:|")
for r in a:
    p(f"| {r['command']} | {fmt_ms(r)} | {ms(r['median']):.2f} ms | {ms(r['min']):.2f} ms | {len(r['times'])} |")
for r in floor:
    p(f"| *floor:* {r['command']} | {fmt_ms(r)} | {ms(r['median']):.2f} ms | {ms(r['min']):.2f} ms | {len(r['times'])} |")
p()
p(f"**Ratio (wrangler mean / atom-sage mean): {ra[0]:.0f}x ± {ra[1]:.0f}** "
  f"(ratio of medians: {a[1]['median'] / a[0]['median']:.0f}x) — goal ≥ 100x: {goal_speed}.")
p(f"Of atom-sage's {ms(a[0]['mean']):.2f} ms, {ms(floor[0]['mean']):.2f} ms is starting the process at all "
  f"(`--version`); the checking itself is ≈ {ms(a[0]['mean'] - floor[0]['mean']):.2f} ms. "
  f"Of wrangler's {ms(a[1]['mean']):.0f} ms, a bare Node start is {ms(floor[1]['mean']):.0f} ms; the rest is loading wrangler and reading the config.")
p()
p(f"### B. Corpus: {n} real configs ({envs} environments as atom-sage counts them)")
p()
p("| command | mean ± σ | median | min | per config (mean / N) | runs |")
p("|---|---:|---:|---:|---:|---:|")
for r in b:
    p(f"| {r['command']} | {fmt_ms(r)} | {ms(r['median']):.1f} ms | {ms(r['min']):.1f} ms | {ms(r['mean']) / n:.2f} ms | {len(r['times'])} |")
p()
p(f"**Ratio, all environments (wrangler / atom-sage): {rb_all[0]:.1f}x ± {rb_all[1]:.1f}**; "
  f"against wrangler reading the top level only: {rb_top[0]:.1f}x ± {rb_top[1]:.1f}.")
p(f"atom-sage here is {n} separate processes (one per config, sequential); wrangler is one process that "
  f"pays Node + wrangler start-up once, so this ratio is far smaller than A's. Subtracting wrangler's "
  f"start-up (A's one-environment run, {ms(a[1]['mean']):.0f} ms) leaves ≈ {ms(b[1]['mean'] - a[1]['mean']) / n:.2f} ms "
  f"of wrangler work per config (all environments), against atom-sage's ≈ {ms(b[0]['mean'] - n * floor[0]['mean']) / n:.2f} ms "
  f"per config once its process start ({ms(floor[0]['mean']):.2f} ms) is taken off.")
p(f"wrangler's own count: {e['BENCH_WR_ALL_OUT']}")
p()
p(f"atom-sage exit codes over the corpus: " + ", ".join(f"{k}: {v}" for k, v in sorted(exits.items())) +
  f". Per-config wall time (best of 3, includes fork/exec from bash): median {median_us / 1e3:.2f} ms, "
  f"slowest: " + ", ".join(f"`{cfg}` {t / 1e3:.2f} ms" for t, cfg in times[:3]) + ".")
if failures:
    p(f"**atom-sage failed (exit ≥ 2) on {len(failures)} config(s):** " +
      ", ".join(f"`{c}` (exit {rc})" for c, rc in failures[:10]))
p()
p("### C. Peak memory (max RSS)")
p()
if e["BENCH_TIME_MODE"] == "none":
    p("Not measured: no GNU `time` found (`apt-get install time`).")
else:
    p("| process | max RSS |")
    p("|---|---:|")
    p(f"| atom-sage check, `{e['BENCH_EXAMPLE']}` | {mib(rss_ex)} |")
    p(f"| atom-sage check, largest corpus config (`{e['BENCH_LARGEST_NAME']}`, {e['BENCH_LARGEST_BYTES']} bytes) | {mib(rss_lg)} |")
    p(f"| atom-sage check, maximum over the corpus (`{e['BENCH_RSS_CORPUS_MAX_CONFIG']}`) | {mib(rss_max)} |")
    p(f"| wrangler readConfig, `{e['BENCH_EXAMPLE']}` ({e['BENCH_EXAMPLE_ENV']}), for context | {mib(e['BENCH_RSS_WR_EXAMPLE'])} |")
    p()
    p(f"Goal < 15 MiB: {goal_mem}. (Measured with `{e['BENCH_TIME_BIN']} {'-f %M' if e['BENCH_TIME_MODE'] == 'format' else '-v'}`, best of 3.)")
p()
p("### Commands")
p()
p("```sh")
p("scripts/bench.sh   # everything below, from any directory")
p(f"hyperfine -N --warmup 5 --min-runs 20 \\")
p(f"  '{e['BENCH_BIN_SHOWN']} check --format json {e['BENCH_EXAMPLE']}' \\")
p(f"  'node {e['BENCH_WRANGLER_READ']} {e['BENCH_EXAMPLE']}/wrangler.toml {e['BENCH_EXAMPLE_ENV']}'")
p(f"hyperfine -N --warmup 5 '{e['BENCH_BIN_SHOWN']} --version' 'node -e 0'")
p(f"hyperfine --warmup 1 --min-runs 10 \\")
p(f"  \"xargs -a configs.txt -d '\\n' -n 1 {e['BENCH_BIN_SHOWN']} check --format json --config >/dev/null || [ \\$? -eq 123 ]\" \\")
p(f"  'node {e['BENCH_WRANGLER_READ']} --list configs.txt --all-envs' \\")
p(f"  'node {e['BENCH_WRANGLER_READ']} --list configs.txt'")
p(f"/usr/bin/time -f %M {e['BENCH_BIN_SHOWN']} check --format json {e['BENCH_EXAMPLE']}")
p("```")
p()
p("`configs.txt` lists the corpus configs laid out as their projects (as `scripts/corpus-findings.py` does).")
PY
