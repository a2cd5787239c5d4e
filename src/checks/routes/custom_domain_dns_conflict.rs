use super::{host_of, routes};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// A custom domain whose hostname already has a DNS record.
pub const RULE: Rule = Rule {
    code: "RTE006",
    name: "custom-domain-dns-conflict",
    service: Service::Routes,
    severity: Severity::Error,
    fixable: false,
    summary: "A custom domain's hostname already has a DNS record, so attaching it fails (--remote)",
    docs: r#"## What it checks
With `--remote`: for each custom domain (`custom_domain = true`), the DNS records of its zone
(`/zones/{id}/dns_records`). A custom domain creates its own record; an A, AAAA or CNAME record
already at that name makes the attach fail, unless the domain is already this worker's.

## Why it matters
The deploy uploads the worker and then fails to attach the domain (code 100117); the site keeps
serving whatever the old record points at, often a Pages project or an old origin.

## Example
```toml
routes = [{ pattern = "www.example.com", custom_domain = true }]   # www.example.com CNAME old-site.pages.dev exists
```
Delete the record (or detach it from its Pages project) first.

## Known limitations
Records of other types at the name (TXT, MX) are not considered conflicts.

## See also
https://developers.cloudflare.com/workers/configuration/routing/custom-domains/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    let Some(worker) = env.worker_name() else { return };
    for route in routes(env).into_iter().filter(|r| r.custom_domain) {
        let host = host_of(route.pattern);
        let Some(zone) = snapshot.zone_for(&host) else { continue };
        let subject = format!("custom domain {host} DNS");
        let records = match (&zone.dns, &snapshot.custom_domains) {
            (Some(Ok(records)), Ok(_)) => records,
            (Some(Err(reason)), _) | (_, Err(reason)) => {
                sink.unknown(Some(env), route.span, subject, reason);
                continue;
            }
            (None, _) => continue,
        };
        let ours = snapshot
            .custom_domains
            .as_ref()
            .is_ok_and(|d| d.iter().any(|d| d.hostname == host && d.service == worker));
        let conflict = records.iter().find(|r| {
            r.name.eq_ignore_ascii_case(&host) && matches!(r.kind.as_str(), "A" | "AAAA" | "CNAME")
        });
        match conflict {
            Some(record) if !ours => {
                sink.report(
                    Some(env),
                    route.span,
                    format!(
                        "custom domain {host} already has a DNS record ({} {} → {}); attaching it fails (code 100117)",
                        record.kind, record.name, record.content
                    ),
                )
                .help("delete the record, or detach it from what it serves (a Pages project, another worker), then deploy");
            }
            _ => {
                let detail = if ours {
                    format!("→ already {worker}'s")
                } else {
                    "→ no record in the way".to_owned()
                };
                sink.verified(Some(env), route.span, subject, detail);
            }
        }
    }
}
