use super::{host_of, routes};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A route pattern another worker already holds.
pub const RULE: Rule = Rule {
    code: "RTE005",
    name: "route-taken",
    service: Service::Routes,
    severity: Severity::Error,
    fixable: false,
    summary: "A route pattern is already assigned to another worker in the zone (--remote)",
    docs: r#"## What it checks
With `--remote`: each route's pattern against the Workers routes of its zone
(`/zones/{id}/workers/routes`). A pattern held by a different worker is reported with its name.

## Why it matters
A pattern belongs to one worker. The deploy fails on it (code 10020), or, if the other worker's
route is removed by hand first, traffic that worker served moves silently.

## Example
```toml
routes = [{ pattern = "api.example.com/*", zone_name = "example.com" }]   # held by api-legacy
```

## Known limitations
Overlapping but different patterns (`api.example.com/*` and `api.example.com/v1/*`) are not
compared; the more specific one wins at runtime.

## See also
https://developers.cloudflare.com/workers/configuration/routing/routes/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    let Some(worker) = env.worker_name() else { return };
    for route in routes(env).into_iter().filter(|r| !r.custom_domain) {
        let Some(zone) = snapshot.zone_for(&host_of(route.pattern)) else { continue };
        let subject = format!("route {} owner", route.pattern);
        let taken = match &zone.routes {
            Ok(existing) => existing.iter().find(|r| {
                r.pattern == route.pattern && r.script.as_deref().is_some_and(|s| s != worker)
            }),
            Err(reason) => {
                sink.unknown(Some(env), route.span, subject, reason);
                continue;
            }
        };
        let Some(taken) = taken else {
            sink.verified(Some(env), route.span, subject, format!("→ free or already {worker}'s"));
            continue;
        };
        let other = taken.script.as_deref().unwrap_or("?");
        sink.report(
            Some(env),
            route.span,
            format!(
                "route {} is already assigned to worker {other} in zone {}; the deploy of {worker} fails (code 10020)",
                route.pattern, zone.name
            ),
        )
        .help(format!("remove the route from {other} first, or choose another pattern"));
    }
}
