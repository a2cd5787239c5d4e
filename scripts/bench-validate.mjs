#!/usr/bin/env node
// In-process timing of the Node addon's `validate` on a project, beside wrangler's own config
// reader (`unstable_readConfig`, wrangler 4.86.0) reading one environment of the same config in
// the same process, for scale. Both are warmed up first; the figures are per call.
//
// Usage: node scripts/bench-validate.mjs [PROJECT] [RUNS]
//   PROJECT  default examples/full-stack;  RUNS  default 500
// Prints one line per side: median, p90, min (milliseconds). Needs the addon built
// (`npm run build` for release figures). Never touches the network: wrangler runs with the
// guards of tests/oracle/offline.mjs.

import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { networkAttempts, wranglerRequire } from "../tests/oracle/offline.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const project = path.resolve(process.argv[2] ?? path.join(root, "examples/full-stack"));
const runs = Number(process.argv[3] ?? 500);
const { validate } = createRequire(import.meta.url)(path.join(root, "index.js"));

function stats(samples) {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	return `median ${at(0.5).toFixed(3)} ms  p90 ${at(0.9).toFixed(3)} ms  min ${sorted[0].toFixed(3)} ms  (${samples.length} runs)`;
}

async function time(run) {
	for (let i = 0; i < 20; i++) await run();
	const samples = [];
	for (let i = 0; i < runs; i++) {
		const start = process.hrtime.bigint();
		await run();
		samples.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	return samples;
}

const report = await validate(project);
const environments = report.environments.length;
console.log(`atom-sage validate (every environment: ${environments})  ${stats(await time(() => validate(project)))}`);

const { unstable_readConfig } = wranglerRequire("wrangler");
const config = path.join(project, "wrangler.toml");
const quiet = { log: console.log, warn: console.warn, error: console.error };
console.warn = console.log = () => {};
const wrangler = await time(() => unstable_readConfig({ config, env: "production" }, { hideWarnings: true }));
Object.assign(console, quiet);
console.log(`wrangler unstable_readConfig (one environment)  ${stats(wrangler)}`);
if (networkAttempts.length) {
	console.error(`blocked network attempts: ${networkAttempts.join(", ")}`);
	process.exitCode = 3;
}
