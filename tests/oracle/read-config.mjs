#!/usr/bin/env node
// Differential-test oracle: run wrangler's own config reader + validator
// (the installed devDependency, expected to be wrangler 4.86.0) over a list of
// config files / environments and print what it reports, as JSON.
//
// Usage:
//   node tests/oracle/read-config.mjs items.json [--envs-all] [--pretty]
//   node tests/oracle/read-config.mjs -            (read the items from stdin)
//
// items.json: [{"config": "/abs/path/wrangler.toml", "env": null | "staging" | "*"}, ...]
//   env null (or missing)  -> top level (no --env)
//   env "*"                -> expands to the top level plus every name under `env` in the file
//   --envs-all             -> treat every item whose env is null/missing as "*"
//
// Output (stdout): one JSON array, one entry per (expanded) item, in input order:
//   {
//     "config": "...", "env": null | "name",
//     "ok": true | false,                  // false when wrangler would refuse the config
//     "error_kind": null | "diagnostics" | "parse" | "read" | "user" | "internal",
//     "errors":   ["message", ...],        // one string per message, ANSI codes stripped
//     "warnings": ["message", ...],
//     "error_details":   [{"section": [...], "message": "..."}],   // section: [] = top level,
//     "warning_details": [{"section": [...], "message": "..."}],   //   ["env.staging"], ...
//     "parse_error": null | {"text", "line", "column", "line_text", "notes"},
//                                           // line is 1-based, column is 0-based (as wrangler stores it)
//     "resolved": {...} | null,            // the Config object readConfig returns; null when it throws
//     "render_check": true | false         // our re-render of the parsed messages equals wrangler's text
//   }
//
// Each item is run with process.cwd() set to the config file's directory, so the
// "Processing <file> configuration:" header and any cwd-relative paths in
// `resolved` are deterministic (wrangler makes some paths relative to cwd).

import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import util from "node:util";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { networkAttempts, wranglerRequire, listEnvironments } from "./offline.mjs";

// ---------------------------------------------------------------------------
// 2. Console capture: wrangler reports warnings (and the odd info line) through
//    console.*; we route them into a buffer while an item is being processed.
// ---------------------------------------------------------------------------
const realConsole = {};
let captured = null; // array of {method, text} while capturing
for (const m of ["log", "info", "warn", "error", "debug", "trace"]) {
	realConsole[m] = console[m].bind(console);
	console[m] = (...args) => {
		const text = util.format(...args);
		if (captured) captured.push({ method: m, text });
		else process.stderr.write(`[wrangler ${m}] ${text}\n`);
	};
}

const wrangler = wranglerRequire("wrangler");
const esbuild = createRequire(wranglerRequire.resolve("wrangler"))("esbuild");
const { unstable_readConfig } = wrangler;

// ---------------------------------------------------------------------------
// 3. Turning wrangler's rendered Diagnostics text back into individual messages.
//
// Diagnostics.render(field) (workers-utils/src/config/diagnostics.ts) is
//   indent(desc + "\n" + msgs.map(m => "- " + indent(m)).join("\n")
//               + children.map(c => "\n- " + c.render()).join("\n"))
// where indent() prefixes every line but the first with two spaces and blanks
// whitespace-only lines. Child descriptions are either
//   "env.NAME" environment configuration      (the selected environment)
//   "<path>.bindings[i]": <json>              (durable_objects / unsafe / logfwdr bindings)
// ---------------------------------------------------------------------------
const stripAnsi = (s) => util.stripVTControlCharacters(s);
const CHILD_DESC_RE = [/^"env\..*" environment configuration$/s, /^"[^"\n]*\.bindings\[\d+\]": /];
const isChildDesc = (line) => CHILD_DESC_RE.some((re) => re.test(line));

function indentText(str) {
	return str
		.split("\n")
		.map((line, i) => (i === 0 ? line : `  ${line}`).replace(/^\s*$/, ""))
		.join("\n");
}
function renderNode(node) {
	return indentText(
		`${node.description}\n` +
			node.messages.map((m) => `- ${indentText(m)}`).join("\n") +
			node.children.map((c) => "\n- " + renderNode(c)).join("\n")
	);
}
const unindent = (line) => (line.startsWith("  ") ? line.slice(2) : line);

// Parse the text produced by renderNode back into {description, messages, children}.
function parseNode(text) {
	const lines = text.split("\n");
	const node = { description: lines[0], messages: [], children: [] };
	const body = lines.slice(1).map(unindent);
	const isChildHeader = (j) => j < body.length && body[j].startsWith("- ") && isChildDesc(body[j].slice(2));
	let i = 0;
	// Messages: "- first line" followed by continuation lines (indented by two, or blank).
	while (i < body.length) {
		if (body[i] === "" && isChildHeader(i + 1)) {
			i++; // blank line before the first child when there are no messages
			break;
		}
		if (isChildHeader(i)) break;
		if (body[i].startsWith("- ")) {
			const msg = [body[i].slice(2)];
			i++;
			while (i < body.length && !body[i].startsWith("- ") && !(body[i] === "" && isChildHeader(i + 1))) {
				msg.push(unindent(body[i]));
				i++;
			}
			node.messages.push(msg.join("\n"));
		} else {
			if (body[i] !== "") node.messages.push(body[i]); // unexpected shape; keep it
			i++;
		}
	}
	// Children: "- <description>" then lines indented by two (or blank); blank line between children.
	while (i < body.length) {
		if (!body[i].startsWith("- ")) {
			i++;
			continue;
		}
		const chunk = [body[i].slice(2)];
		i++;
		while (i < body.length && !body[i].startsWith("- ")) chunk.push(body[i++]);
		if (i < body.length && chunk[chunk.length - 1] === "") chunk.pop();
		node.children.push(parseNode(chunk.join("\n")));
	}
	return node;
}
function flatten(node, section = [], out = []) {
	for (const m of node.messages) out.push({ section, message: m });
	for (const c of node.children) {
		const envMatch = /^"(env\..*)" environment configuration$/s.exec(c.description);
		const label = envMatch ? envMatch[1] : c.description;
		flatten(c, [...section, label], out);
	}
	return out;
}
function parseRendered(text) {
	const clean = stripAnsi(text);
	const tree = parseNode(clean);
	return { tree, details: flatten(tree), check: renderNode(tree) === clean };
}

// Warnings arrive as esbuild-formatted text: "▲ [WARNING] <first line>\n\n  <note>\n  ...\n\n".
function decodeWarning(text) {
	const clean = stripAnsi(text);
	const m = /^▲ \[WARNING\] ([^\n]*)\n/.exec(clean);
	if (!m) return { raw: clean, rendered: null, check: false };
	let rest = clean.slice(m[0].length).split("\n");
	if (rest[0] === "") rest = rest.slice(1);
	while (rest.length && rest[rest.length - 1] === "") rest.pop();
	const rendered = [m[1], ...rest.map((l) => (l.startsWith("  ") ? l.slice(2) : l))].join("\n");
	// Verify: re-format the reconstruction the way wrangler's logger does.
	const [first, ...others] = rendered.split("\n");
	const again = esbuild.formatMessagesSync(
		[{ text: first, notes: others.length ? others.map((t) => ({ text: t })) : undefined }],
		{ color: false, kind: "warning" }
	)[0];
	return { raw: clean, rendered, check: stripAnsi(again) === clean };
}

// ---------------------------------------------------------------------------
// 4. Running one item.
// ---------------------------------------------------------------------------

function runOne(configPath, envName) {
	const result = {
		config: configPath,
		env: envName ?? null,
		ok: false,
		error_kind: null,
		errors: [],
		warnings: [],
		error_details: [],
		warning_details: [],
		parse_error: null,
		resolved: null,
		render_check: true,
	};
	const absConfig = path.resolve(configPath);
	const prevCwd = process.cwd();
	captured = [];
	let thrown = null;
	try {
		try {
			process.chdir(path.dirname(absConfig));
		} catch {}
		const args = { config: absConfig };
		if (envName !== null && envName !== undefined) args.env = envName;
		result.resolved = unstable_readConfig(args, { hideWarnings: false });
		result.ok = true;
	} catch (e) {
		thrown = e;
	} finally {
		process.chdir(prevCwd);
	}
	const logs = captured;
	captured = null;

	// Warnings (and any other console output) logged during the call.
	for (const { method, text } of logs) {
		if (method === "warn") {
			const w = decodeWarning(text);
			if (w.rendered !== null && /^Processing .* configuration:$/.test(w.rendered.split("\n")[0])) {
				const p = parseRendered(w.rendered);
				result.warning_details.push(...p.details);
				result.render_check &&= p.check && w.check;
			} else {
				result.warning_details.push({ section: null, message: w.rendered ?? w.raw });
				result.render_check &&= w.check;
			}
		} else {
			(result.other_output ??= []).push({ method, text: stripAnsi(text) });
		}
	}

	if (thrown) {
		const e = thrown;
		const name = e?.constructor?.name ?? typeof e;
		if (name === "ParseError" || (e && typeof e.text === "string" && "location" in e)) {
			result.error_kind = /^Could not read file/.test(String(e.text)) ? "read" : "parse";
			const loc = e.location;
			result.parse_error = {
				text: stripAnsi(String(e.text)),
				line: loc?.line ?? null,
				column: loc?.column ?? null,
				line_text: loc?.lineText ?? null,
				notes: (e.notes ?? []).map((n) => stripAnsi(String(n.text))),
			};
			result.error_details.push({ section: [], message: result.parse_error.text });
		} else if (name === "UserError" && /^Processing .* configuration:\n/.test(String(e.message))) {
			result.error_kind = "diagnostics";
			const p = parseRendered(String(e.message));
			result.error_details.push(...p.details);
			result.render_check &&= p.check;
			if (!p.check) result.raw_error_text = stripAnsi(String(e.message));
		} else {
			result.error_kind = name === "UserError" || name === "FatalError" ? "user" : "internal";
			result.error_details.push({ section: [], message: stripAnsi(String(e?.message ?? e)) });
			if (result.error_kind === "internal") result.exception = `${name}: ${e?.message}`;
		}
	}
	result.errors = result.error_details.map((d) => d.message);
	result.warnings = result.warning_details.map((d) => d.message);
	return result;
}

// ---------------------------------------------------------------------------
// 5. Main
// ---------------------------------------------------------------------------
async function main() {
	const argv = process.argv.slice(2);
	const flags = new Set(argv.filter((a) => a.startsWith("--")));
	const positional = argv.filter((a) => !a.startsWith("--"));
	if (positional.length !== 1) {
		process.stderr.write("usage: read-config.mjs <items.json | -> [--envs-all] [--pretty]\n");
		process.exit(2);
	}
	const input = positional[0] === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(positional[0], "utf8");
	const items = JSON.parse(input);
	if (!Array.isArray(items)) throw new Error("input must be a JSON array");
	const envsAll = flags.has("--envs-all");

	const out = [];
	for (const item of items) {
		const configPath = typeof item === "string" ? item : item.config;
		let env = typeof item === "string" ? null : (item.env ?? null);
		if (env === null && envsAll) env = "*";
		const envs = env === "*" ? [null, ...listEnvironments(configPath)] : [env];
		for (const e of envs) {
			try {
				out.push(runOne(configPath, e));
			} catch (err) {
				// Should not happen (runOne catches wrangler errors), but never crash.
				out.push({
					config: configPath, env: e, ok: false, error_kind: "internal",
					errors: [String(err?.message ?? err)], warnings: [], error_details: [],
					warning_details: [], parse_error: null, resolved: null, render_check: false,
				});
			}
		}
	}
	// Let any pending async warning hooks (update check) settle before printing.
	await new Promise((r) => setTimeout(r, 50));
	const json = flags.has("--pretty") ? JSON.stringify(out, null, 2) : JSON.stringify(out);
	await new Promise((r) => process.stdout.write(json + "\n", r));
	if (networkAttempts.length) {
		process.stderr.write(`read-config.mjs: blocked ${networkAttempts.length} network attempt(s):\n${networkAttempts.join("\n")}\n`);
		process.exitCode = 3;
	}
}

main().catch((e) => {
	process.stderr.write(`read-config.mjs: ${e?.stack ?? e}\n`);
	process.exit(1);
});
