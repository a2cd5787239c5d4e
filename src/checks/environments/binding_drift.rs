use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::config::bindings::bindings;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// Bindings and vars of the deployed worker that the config does not declare.
pub const RULE: Rule = Rule {
    code: "ENV004",
    name: "binding-drift",
    service: Service::Environments,
    severity: Severity::Warning,
    fixable: false,
    summary: "The deployed worker has bindings or vars the config lacks; the next deploy removes them (--remote)",
    docs: r#"## What it checks
With `--remote`: the bindings of the environment's deployed worker (`/workers/scripts/{name}/settings`)
against those the config declares for it. Secrets are left out: a deploy keeps them.

## Why it matters
A var or binding added in the dashboard works until the next `wrangler deploy`, which uploads
exactly the config's bindings; the worker then reads `undefined`.

## Example
```toml
[env.production.vars]
FEATURE_FLAGS = "beta"   # was set in the dashboard; now in the config, so the deploy keeps it
```

## Known limitations
Only names are compared, not the values or resource ids behind them. With `keep_vars = true`,
vars on the deployed worker (`plain_text`, `json`) are kept by the deploy, so they are not
reported.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/#source-of-truth
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    let Some(worker) = env.worker_name() else { return };
    let Some(remote) = snapshot.workers.get(&worker) else { return };
    let span = env.name_span.or_else(|| env.root.get("name").map(|n| n.span)).unwrap_or_default();
    let subject = format!("bindings of {worker}");
    let deployed = match &remote.bindings {
        Ok(Some(deployed)) => deployed,
        Ok(None) => return, // not deployed yet: nothing to lose
        Err(reason) => {
            sink.unknown(Some(env), span, subject, reason);
            return;
        }
    };
    let declared: Vec<&str> = bindings(env).iter().map(|b| b.name).collect();
    // Secrets are listed among the bindings, but a deploy keeps them; with `keep_vars = true`
    // it keeps the vars set in the dashboard too.
    let keep_vars = env.get("keep_vars").and_then(|f| f.node.as_bool()) == Some(true);
    let kept = |kind: &str| {
        matches!(kind, "secret_text" | "secret_key")
            || (keep_vars && matches!(kind, "plain_text" | "json"))
    };
    let deployed: Vec<&(String, String)> =
        deployed.iter().filter(|(_, kind)| !kept(kind)).collect();
    let lost: Vec<String> = deployed
        .iter()
        .filter(|(name, _)| !declared.contains(&name.as_str()))
        .map(|(name, kind)| format!("{name} ({kind})"))
        .collect();
    if lost.is_empty() {
        sink.verified(
            Some(env),
            span,
            subject,
            format!("→ {} deployed, all in the config", deployed.len()),
        );
        return;
    }
    sink.report(
        Some(env),
        span,
        format!(
            "deployed worker {worker} has {} the config does not declare: {}; the next deploy removes {}",
            if lost.len() == 1 { "a binding" } else { "bindings" },
            lost.join(", "),
            if lost.len() == 1 { "it" } else { "them" }
        ),
    )
    .help("add them to the environment in the config, or confirm they are no longer needed");
}
