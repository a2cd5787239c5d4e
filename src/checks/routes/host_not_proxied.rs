use super::{host_of, routes};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A route whose host has no proxied DNS record.
pub const RULE: Rule = Rule {
    code: "RTE007",
    name: "host-not-proxied",
    service: Service::Routes,
    severity: Severity::Error,
    fixable: false,
    summary: "A route's host has no proxied DNS record, so the worker never receives its requests (--remote)",
    docs: r#"## What it checks
With `--remote`: for each route (not custom domains, which make their own record), the DNS
records of its host in its zone. Workers routes run only on traffic proxied through
Cloudflare: the host needs an A, AAAA or CNAME record with the proxy on (orange cloud).

## Why it matters
The deploy succeeds and the route is attached, but requests go straight to the origin (DNS
only) or nowhere (no record): the worker never runs.

## Example
```text
api.example.com  AAAA 100::  proxied   # a placeholder address is enough for a worker-only host
```

## Known limitations
Wildcard hosts (`*.example.com/*`) are not checked; a wildcard record would serve them. A host
with no record of its own is served by a wildcard record one label up (`*.example.com` serves
`wild.example.com`, not `a.wild.example.com`); any record of the host's own name wins over it.

## See also
https://developers.cloudflare.com/workers/configuration/routing/routes/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    for route in routes(env).into_iter().filter(|r| !r.custom_domain && !r.pattern.starts_with('*'))
    {
        let host = host_of(route.pattern);
        let Some(zone) = snapshot.zone_for(&host) else { continue };
        let subject = format!("route {} DNS", route.pattern);
        let records = match &zone.dns {
            Some(Ok(records)) => records,
            Some(Err(reason)) => {
                sink.unknown(Some(env), route.span, subject, reason);
                continue;
            }
            None => continue,
        };
        // A record for the host itself wins; without one, a wildcard one label up serves it.
        let serves = |name: &str| -> Vec<_> {
            records
                .iter()
                .filter(|r| {
                    r.name.eq_ignore_ascii_case(name)
                        && matches!(r.kind.as_str(), "A" | "AAAA" | "CNAME")
                })
                .collect()
        };
        let mut serving = serves(&host);
        let own = records.iter().any(|r| r.name.eq_ignore_ascii_case(&host));
        if !own && let Some((_, parent)) = host.split_once('.') {
            serving = serves(&format!("*.{parent}"));
        }
        if let Some(proxied) = serving.iter().find(|r| r.proxied) {
            sink.verified(
                Some(env),
                route.span,
                subject,
                format!("→ proxied {} record", proxied.kind),
            );
            continue;
        }
        let message = match serving.as_slice() {
            [] => format!(
                "route {} runs only on proxied traffic, but {host} has no A, AAAA or CNAME record in zone {}; the worker never receives requests",
                route.pattern, zone.name
            ),
            records => {
                let listed: Vec<String> =
                    records.iter().map(|r| format!("{} {}", r.kind, r.content)).collect();
                format!(
                    "route {} runs only on proxied traffic, but the records of {host} ({}) are DNS-only; the worker never receives requests",
                    route.pattern,
                    listed.join(", ")
                )
            }
        };
        sink.report(Some(env), route.span, message)
            .help(format!("turn the proxy on (orange cloud) for {host}, or add a proxied record (an AAAA record to 100:: serves a worker-only host)"));
    }
}
