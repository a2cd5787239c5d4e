#!/usr/bin/env node
// Benchmark helper: read wrangler configs with wrangler's own reader + validator
// (`unstable_readConfig` from the installed devDependency, wrangler 4.86.0), the
// same way tests/oracle/read-config.mjs does, with the same no-network guards, and exit.
// Used by scripts/bench.sh as the "wrangler" side of the comparison.
//
// Usage:
//   node scripts/bench-wrangler-read.mjs CONFIG [ENV]
//       Read ONE environment (ENV, or the top level when omitted) of ONE config.
//       Exit 0 when wrangler accepts it, 1 when wrangler refuses it.
//   node scripts/bench-wrangler-read.mjs --list FILE [--all-envs]
//       Read every config listed in FILE (one path a line), in one process: the top
//       level only, or with --all-envs the top level plus every `env.NAME` (the names
//       come from wrangler's experimental_readRawConfig, as wrangler itself lists them).
//       Exit 0 whatever wrangler thinks of the configs (refusals are counted, not failures).
//
// Prints one summary line on stdout. Exit 3 if anything tried to open a network
// connection (it is refused; the benchmark must never touch the network), 2 on usage errors.

import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import util from "node:util";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { networkAttempts, wranglerPkg, wranglerRequire, listEnvironments } from "../tests/oracle/offline.mjs";

process.on("exit", () => {
	if (networkAttempts.length) {
		process.stderr.write(
			`bench-wrangler-read.mjs: blocked ${networkAttempts.length} network attempt(s):\n${networkAttempts.join("\n")}\n`
		);
		process.exitCode = 3;
	}
});

// wrangler reports warnings through console.*: it still formats them (that work is
// measured), but we drop the text so the benchmark output stays readable.
const realConsole = { log: console.log.bind(console), error: console.error.bind(console) };
for (const m of ["log", "info", "warn", "error", "debug", "trace"]) console[m] = () => {};

// ---------------------------------------------------------------------------
// 2. Arguments.
// ---------------------------------------------------------------------------
const argv = process.argv.slice(2);
const usage = () => {
	process.stderr.write(
		"usage: bench-wrangler-read.mjs CONFIG [ENV]\n" +
			"       bench-wrangler-read.mjs --list FILE [--all-envs]\n"
	);
	process.exit(2);
};
let mode;
let listFile = null;
let allEnvs = false;
const positional = [];
for (let i = 0; i < argv.length; i++) {
	if (argv[i] === "--list") listFile = argv[++i] ?? usage();
	else if (argv[i] === "--all-envs") allEnvs = true;
	else if (argv[i].startsWith("--")) usage();
	else positional.push(argv[i]);
}
if (listFile !== null) {
	if (positional.length) usage();
	mode = "list";
} else {
	if (positional.length < 1 || positional.length > 2 || allEnvs) usage();
	mode = "one";
}

// ---------------------------------------------------------------------------
// 3. Reading.
// ---------------------------------------------------------------------------
const wrangler = wranglerRequire("wrangler");
const { unstable_readConfig } = wrangler;


// Returns true when wrangler accepts the config in this environment.
function readOne(configPath, envName) {
	const absConfig = path.resolve(configPath);
	const prevCwd = process.cwd();
	try {
		process.chdir(path.dirname(absConfig));
		const args = { config: absConfig };
		if (envName !== null && envName !== undefined) args.env = envName;
		unstable_readConfig(args, { hideWarnings: false });
		return true;
	} catch {
		return false;
	} finally {
		process.chdir(prevCwd);
	}
}

if (mode === "one") {
	const ok = readOne(positional[0], positional[1] ?? null);
	realConsole.log(`wrangler ${wranglerPkg.version}: ${positional[0]} [${positional[1] ?? "top level"}]: ${ok ? "ok" : "refused"}`);
	process.exitCode = ok ? 0 : 1;
} else {
	const configs = fs
		.readFileSync(listFile, "utf8")
		.split("\n")
		.filter((l) => l !== "");
	let envs = 0;
	let ok = 0;
	for (const config of configs) {
		for (const env of allEnvs ? [null, ...listEnvironments(config)] : [null]) {
			envs++;
			if (readOne(config, env)) ok++;
		}
	}
	realConsole.log(
		`wrangler ${wranglerPkg.version}: ${configs.length} configs, ${envs} environments read (${allEnvs ? "all environments" : "top level only"}): ${ok} accepted, ${envs - ok} refused`
	);
}
