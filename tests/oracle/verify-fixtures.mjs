#!/usr/bin/env node
// Re-run wrangler (via read-config.mjs) over tests/fixtures/wrangler-parity/* and check
// that what it reports still equals each fixture's expected.json.
//
// Usage: node tests/oracle/verify-fixtures.mjs [fixtures-dir] [--update]
// Exit code 0 when every fixture matches, 1 otherwise.
// --update rewrites wrangler_errors / wrangler_error_sections / wrangler_warnings /
// error_kind in each expected.json from the current wrangler (env, path, kind are kept).

import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const update = args.includes("--update");
const root = path.resolve(args.find((a) => !a.startsWith("--")) ?? path.join(here, "..", "fixtures", "wrangler-parity"));
const CONFIG_NAMES = ["wrangler.toml", "wrangler.json", "wrangler.jsonc"];

const fixtures = [];
for (const dir of fs.readdirSync(root).sort()) {
	const full = path.join(root, dir);
	const expectedPath = path.join(full, "expected.json");
	if (!fs.existsSync(expectedPath)) continue;
	const config = CONFIG_NAMES.map((n) => path.join(full, n)).find((p) => fs.existsSync(p));
	if (!config) {
		console.error(`${dir}: no wrangler config file`);
		process.exitCode = 1;
		continue;
	}
	const expected = JSON.parse(fs.readFileSync(expectedPath, "utf8"));
	fixtures.push({ dir, config, expected, expectedPath });
}

const items = [];
for (const f of fixtures) {
	items.push({ config: f.config, env: f.expected.env });
	for (const e of f.expected.also_clean_envs ?? []) items.push({ config: f.config, env: e });
}
const tmp = path.join(fs.mkdtempSync(path.join((await import("node:os")).tmpdir(), "parity-")), "items.json");
fs.writeFileSync(tmp, JSON.stringify(items));
const out = JSON.parse(
	execFileSync(process.execPath, [path.join(here, "read-config.mjs"), tmp], { maxBuffer: 256 << 20 }).toString()
);
fs.rmSync(path.dirname(tmp), { recursive: true, force: true });

const key = (c, e) => `${c}\u0000${e ?? ""}`;
const results = new Map(out.map((r) => [key(r.config, r.env), r]));
let failed = 0;
for (const f of fixtures) {
	const r = results.get(key(f.config, f.expected.env));
	const got = JSON.stringify(r?.errors ?? null);
	const want = JSON.stringify(f.expected.wrangler_errors);
	let ok = got === want;
	for (const e of f.expected.also_clean_envs ?? []) {
		const re = results.get(key(f.config, e));
		if (!re || re.errors.length) ok = false;
	}
	if (!ok && update && r) {
		Object.assign(f.expected, {
			wrangler_errors: r.errors,
			wrangler_error_sections: r.error_details.map((d) => d.section),
			wrangler_warnings: r.warnings,
			error_kind: r.error_kind,
		});
		fs.writeFileSync(f.expectedPath, JSON.stringify(f.expected, null, 2) + "\n");
		console.log(`UPDATED ${f.dir}`);
	} else if (!ok) {
		failed++;
		console.log(`FAIL ${f.dir}\n  want ${want}\n  got  ${got}`);
	}
}
console.log(`${fixtures.length - failed}/${fixtures.length} fixtures match wrangler`);
process.exitCode = failed ? 1 : process.exitCode ?? 0;
