use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A var named like a secret the worker already has.
pub const RULE: Rule = Rule {
    code: "VAR003",
    name: "var-is-secret",
    service: Service::Vars,
    severity: Severity::Error,
    fixable: false,
    summary: "A vars entry has the name of a secret already set on the worker, so the upload is rejected (--remote)",
    docs: r#"## What it checks
With `--remote`: every name in the environment's `vars` against the secrets of its worker
(`/workers/scripts/{name}/secrets`). A name can be a var or a secret, not both.

## Why it matters
The upload is rejected because the binding name is already in use (code 10053). It happens
when a value moves from a secret to `vars` (or back) and the old one is not deleted.

## Example
```toml
[vars]
AUTH_CALLBACK_URL = "https://example.com/auth"   # bad while a secret AUTH_CALLBACK_URL exists
```
Delete one: `wrangler secret delete AUTH_CALLBACK_URL`, or remove the var.

## Known limitations
Only the worker of each checked environment is read.

## See also
https://developers.cloudflare.com/workers/configuration/environment-variables/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    let Some(vars) = env.get("vars") else { return };
    let Some(worker) = env.worker_name() else { return };
    let Some(remote) = snapshot.workers.get(&worker) else { return };
    let Ok(Some(secrets)) = &remote.secrets else { return }; // secret-not-set says unknown
    for entry in vars.node.entries() {
        if !secrets.contains(&entry.key) {
            continue;
        }
        let local = entry
            .value
            .as_str()
            .is_some_and(|v| v.contains("localhost") || v.contains("127.0.0.1"));
        let diagnostic = sink.report(
            Some(env),
            entry.key_span,
            format!(
                "{}vars.{} has the name of a secret already set on worker {worker}; the upload is rejected, the binding name is in use (code 10053)",
                env.path_prefix(),
                entry.key
            ),
        );
        diagnostic.binding(&entry.key).help(format!(
            "delete the secret (`wrangler secret delete {}{}`) or rename the var",
            entry.key,
            env.name.map(|n| format!(" --env {n}")).unwrap_or_default()
        ));
        if local {
            diagnostic.note("the var's value points at a local address; the secret is probably the production value");
        }
    }
}
