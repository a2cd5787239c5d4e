use crate::checks::code::{bound_names, code_of, is_resource, is_unused_top_level, place};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;
use crate::syntax::Node;

/// A secret the worker needs that its script does not have.
pub const RULE: Rule = Rule {
    code: "SEC001",
    name: "secret-not-set",
    service: Service::Secrets,
    severity: Severity::Error,
    fixable: false,
    summary: "A secret the code reads or secrets.required lists is not set on the environment's worker (--remote)",
    docs: r#"## What it checks
With `--remote`: the secrets of each environment's worker (`/workers/scripts/{name}/secrets`;
names only, values are never returned) against what it needs: every name in
`secrets.required`, and every value the code reads from `env` that is neither a var nor a
binding of the environment. A worker that does not exist yet has no secrets at all. Secrets
are per worker, so `--env staging` and `--env production` each need their own. The top level
is checked beside the named environments when its worker exists; when it was never deployed
(the named environments are what gets deployed) it is left alone.

## Why it matters
`env.API_TOKEN` is `undefined` in the deployed worker; the failure shows up as the other
service refusing the call, long after the deploy.

## Example
```sh
wrangler secret put API_TOKEN --env production
```

## Known limitations
A name the code reads through a computed key (`env[name]`) is not known.

## See also
https://developers.cloudflare.com/workers/configuration/secrets/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    let Some(worker) = env.worker_name() else { return };
    let Some(remote) = snapshot.workers.get(&worker) else { return };
    if is_unused_top_level(context, env) && matches!(remote.secrets, Ok(None)) {
        return; // a top level never deployed, beside named environments, needs no secrets
    }
    let flag = env.name.map(|n| format!(" --env {n}")).unwrap_or_default();
    let required: Vec<&Node> = env
        .get("secrets")
        .and_then(|s| s.node.get("required"))
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .collect();
    let secrets = match &remote.secrets {
        Ok(secrets) => secrets.as_deref(),
        Err(reason) => {
            let span = required.first().map_or(env.name_span.unwrap_or_default(), |n| n.span);
            sink.unknown(Some(env), span, format!("secrets of {worker}"), reason);
            return;
        }
    };
    let missing = |name: &str| secrets.is_none_or(|list| !list.iter().any(|s| s == name));
    let why = |name: &str| match secrets {
        None => format!("worker {worker} does not exist yet, so it has no secret {name}"),
        Some(_) => format!("worker {worker} has no secret {name}"),
    };
    for node in &required {
        let Some(name) = node.as_str() else { continue };
        if missing(name) {
            sink.report(
                Some(env),
                node.span,
                format!("secrets.required lists {name}, but {}", why(name)),
            )
            .binding(name)
            .help(format!("run `wrangler secret put {name}{flag}`"));
        } else {
            sink.verified(
                Some(env),
                node.span,
                format!("secret {name}"),
                format!("→ set on {worker}"),
            );
        }
    }
    let Some(model) = code_of(context, env) else { return };
    let bound: Vec<&str> = bound_names(env).iter().map(|b| b.name).collect();
    for (name, first, _) in model.names() {
        let name = name.as_str();
        if bound.contains(&name) || is_resource(context, model, name) {
            continue;
        }
        let use_ = &model.uses[*first];
        let file = &model.files[use_.at.file];
        if missing(name) {
            let message = format!(
                "{} reads env.{name}, which is not a var or binding of {}, and {}",
                place(model, use_.at),
                env.label(),
                why(name)
            );
            sink.report_in(file, env.name, use_.at.span, message).binding(name).help(format!(
                "run `wrangler secret put {name}{flag}`, and list it in secrets.required"
            ));
        } else {
            let span = env.name_span.unwrap_or_default();
            sink.verified(Some(env), span, format!("secret {name}"), format!("→ set on {worker}"));
        }
    }
}
