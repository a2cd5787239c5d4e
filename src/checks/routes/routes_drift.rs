use super::{host_of, routes};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// Routes and custom domains the deployed worker has and the config does not.
pub const RULE: Rule = Rule {
    code: "RTE008",
    name: "routes-drift",
    service: Service::Routes,
    severity: Severity::Warning,
    fixable: false,
    summary: "The deployed worker has routes or custom domains the config lacks; the next deploy removes them (--remote)",
    docs: r#"## What it checks
With `--remote`, for an environment that declares routes: the Workers routes of every zone of
the account (`/zones/{id}/workers/routes`) and the account's custom domains
(`/workers/domains`) that point at the environment's worker, against the routes and custom
domains of the config.

## Why it matters
`wrangler deploy` makes the worker's routes exactly those of the config. A route added in the
dashboard (a second shop, a blog) is removed by the next deploy from CI, and that site stops
running the worker.

## Example
```toml
routes = [
  { pattern = "shop-a.example.com/*", zone_name = "example.com" },
  { pattern = "www.example.net/*", zone_name = "example.net" },   # added after the dashboard showed it
]
```

## Known limitations
The routes of at most 50 zones are read (and those of every zone the config routes to); the
rest are reported as unknown.

## See also
https://developers.cloudflare.com/workers/configuration/routing/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    let declared = routes(env);
    let Some(first) = declared.first() else { return };
    let Some(worker) = env.worker_name() else { return };
    let span =
        env.get("routes").or_else(|| env.get("route")).map_or(first.span, |f| f.entry.key_span);
    let subject = format!("routes of {worker}");
    let zones = match &snapshot.zones {
        Ok(zones) => zones,
        Err(reason) => {
            sink.unknown(Some(env), span, subject, reason);
            return;
        }
    };
    let mut only_remote: Vec<String> = Vec::new();
    let mut unread: Vec<(&str, &crate::remote::Unknown)> = Vec::new();
    for zone in zones {
        match &zone.routes {
            Ok(existing) => only_remote.extend(
                existing
                    .iter()
                    .filter(|r| r.script.as_deref() == Some(worker.as_str()))
                    .filter(|r| !declared.iter().any(|d| d.pattern == r.pattern))
                    .map(|r| r.pattern.clone()),
            ),
            Err(reason) => unread.push((&zone.name, reason)),
        }
    }
    // One line for every zone whose routes are unknown, not one per zone.
    if let Some((first, reason)) = unread.first() {
        let zones = match unread.len() {
            1 => format!("zone {first}"),
            count => format!("{count} zones ({first}, ...)"),
        };
        sink.unknown(Some(env), span, format!("{subject} in {zones}"), reason);
    }
    match &snapshot.custom_domains {
        Ok(domains) => only_remote.extend(
            domains
                .iter()
                .filter(|d| d.service == worker)
                .filter(|d| {
                    !declared.iter().any(|r| r.custom_domain && host_of(r.pattern) == d.hostname)
                })
                .map(|d| format!("{} (custom domain)", d.hostname)),
        ),
        Err(reason) => sink.unknown(Some(env), span, format!("custom domains of {worker}"), reason),
    }
    if only_remote.is_empty() {
        sink.verified(Some(env), span, subject, "→ none beyond the config's");
        return;
    }
    sink.report(
        Some(env),
        span,
        format!(
            "the next deploy replaces every route of {worker}: {} {} only in the account and will be removed",
            only_remote.join(", "),
            if only_remote.len() == 1 { "exists" } else { "exist" }
        ),
    )
    .help("add them to routes, or if they are managed in the dashboard, remove routes from the config and set workers_dev = false");
}
