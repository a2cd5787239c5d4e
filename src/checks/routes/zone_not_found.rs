use super::{host_of, routes};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A route or custom domain whose host no zone of the account serves.
pub const RULE: Rule = Rule {
    code: "RTE004",
    name: "zone-not-found",
    service: Service::Routes,
    severity: Severity::Error,
    fixable: false,
    summary: "No zone of the account serves a route's or custom domain's host (--remote)",
    docs: r#"## What it checks
With `--remote`: the host of every route and custom domain belongs to a zone of the account
(`/zones`, every page): the zone whose name the host ends with.

## Why it matters
A route can only be attached inside a zone the account holds; the deploy fails when wrangler
looks the zone up. A typo in the host, or a zone in another account, is the usual cause.

## Example
```toml
routes = [{ pattern = "api.exmaple.com/*", zone_name = "exmaple.com" }]   # bad: the zone is example.com
```

## Known limitations
Zones of other accounts the token can see are not considered.

## See also
https://developers.cloudflare.com/workers/configuration/routing/routes/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    for route in routes(env) {
        let host = host_of(route.pattern);
        if host.is_empty() {
            continue;
        }
        let subject = format!("route {}", route.pattern);
        let zones = match &snapshot.zones {
            Ok(zones) => zones,
            Err(reason) => {
                sink.unknown(Some(env), route.span, subject, reason);
                continue;
            }
        };
        if let Some(zone) = snapshot.zone_for(&host) {
            sink.verified(Some(env), route.span, subject, format!("→ zone {}", zone.name));
            continue;
        }
        let names: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
        let closest = crate::suggest::closest(&host, names.iter().copied());
        sink.report(
            Some(env),
            route.span,
            format!(
                "no zone of account {} serves {host}, so {} cannot be attached; the deploy fails",
                snapshot.account_id, route.pattern
            ),
        )
        .help(match closest {
            Some(zone) => format!("did you mean a host in {zone}?"),
            None => format!(
                "add the zone to the account, or use a host in one of its {} zones",
                names.len()
            ),
        });
    }
}
