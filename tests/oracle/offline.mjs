// Running the installed wrangler offline: no telemetry, no update check, no network, no stray
// logs. Importing this module does it, before wrangler is loaded (ES modules evaluate their
// imports first). Shared by the differential-test oracle (read-config.mjs) and the benchmark
// (scripts/bench-wrangler-read.mjs).
//
// Exports:
//   privateTmp       a private temporary folder, removed at exit
//   wranglerRequire  require() resolving from the repository root, where wrangler is installed
//   wranglerPkg      wrangler's package.json
//   networkAttempts  every outgoing connection that was tried (and refused)

import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import util from "node:util";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// ---------------------------------------------------------------------------
// 1. Environment: no telemetry, no update check, no network, no stray logs.
//    Must happen before wrangler is loaded.
// ---------------------------------------------------------------------------
export const privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), "atom-sage-wrangler-"));
process.on("exit", () => fs.rmSync(privateTmp, { recursive: true, force: true }));
Object.assign(process.env, {
	WRANGLER_SEND_METRICS: "false",
	WRANGLER_SEND_ERROR_REPORTS: "false",
	WRANGLER_LOG: "log",
	WRANGLER_LOG_PATH: path.join(privateTmp, "wrangler-debug.log"),
	WRANGLER_HIDE_BANNER: "true",
	// update-check (used by readConfig when there are unknown fields) resolves the
	// npm registry through `rc("npm")`, i.e. env vars prefixed `npm_`; point it at a
	// closed loopback port, and also pre-seed its cache (below) so it never looks.
	npm_registry: "http://127.0.0.1:9/",
	npm_config_registry: "http://127.0.0.1:9/",
	DO_NOT_TRACK: "1",
	NO_UPDATE_NOTIFIER: "1",
	FORCE_COLOR: "0",
	TMPDIR: privateTmp,
	TEMP: privateTmp,
	TMP: privateTmp,
});
// Variables that change what wrangler validates.
delete process.env.CLOUDFLARE_ENV;
delete process.env.WRANGLER_DISABLE_EXPERIMENTAL_WARNING;
// Seed update-check's cache: "checked just now, latest is our version" => no request.
export const wranglerRequire = createRequire(
	path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "package.json")
);
export const wranglerPkg = wranglerRequire("wrangler/package.json");
fs.mkdirSync(path.join(privateTmp, "update-check"), { recursive: true });
fs.writeFileSync(
	path.join(privateTmp, "update-check", "wrangler-latest.json"),
	JSON.stringify({ latest: wranglerPkg.version, lastUpdate: Date.now() + 365 * 24 * 3600e3 })
);
// Logger captures the terminal width at load time; esbuild would wrap at it.
try {
	Object.defineProperty(process.stdout, "columns", { value: undefined, configurable: true });
} catch {}

// Network guard: record and refuse any outgoing connection from this process.
export const networkAttempts = [];
{
	const origConnect = net.Socket.prototype.connect;
	net.Socket.prototype.connect = function (...args) {
		// Node calls connect() internally with a normalised [options, cb] array.
		const opts = Array.isArray(args[0]) ? args[0][0] : args[0];
		// Allow local IPC (e.g. unix sockets) only.
		if (opts && typeof opts === "object" && typeof opts.path === "string") {
			return origConnect.apply(this, args);
		}
		networkAttempts.push(
			opts && typeof opts === "object" ? `${opts.host ?? opts.hostname}:${opts.port}` : util.inspect(args.slice(0, 2))
		);
		const err = new Error("atom-sage: network disabled while running wrangler");
		process.nextTick(() => this.destroy(err));
		return this;
	};
	if (typeof globalThis.fetch === "function") {
		globalThis.fetch = async (input) => {
			networkAttempts.push(`fetch ${String(input?.url ?? input)}`);
			throw new Error("atom-sage: network disabled while running wrangler");
		};
	}
}


/** The environment names a config declares, as wrangler lists them (only a real table expands). */
export function listEnvironments(configPath) {
	try {
		const { rawConfig } = wranglerRequire("wrangler").experimental_readRawConfig({ config: configPath });
		const env = rawConfig?.env;
		return env && typeof env === "object" && !Array.isArray(env) ? Object.keys(env) : [];
	} catch {
		return [];
	}
}
