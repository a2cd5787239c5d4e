use crate::checks::routes::{host_of, routes};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// A route whose host is not in the zone it names.
pub const RULE: Rule = Rule {
    code: "RTE003",
    name: "zone-name-mismatch",
    service: Service::Routes,
    severity: Severity::Error,
    fixable: false,
    summary: "A route's host is not in the zone its zone_name names",
    docs: r#"## What it checks
For routes written as `{ pattern, zone_name }`: the pattern's host must be the zone itself or
one of its subdomains.

## Why it matters
The route is created in the named zone, which never sees requests for another host, or the
API rejects it; either way the worker receives no traffic.

## Example
```toml
routes = [{ pattern = "api.example.org/*", zone_name = "example.com" }]   # bad
routes = [{ pattern = "api.example.com/*", zone_name = "example.com" }]   # good
```

## Known limitations
Routes with `zone_id` are only checked with `--remote`.

## See also
https://developers.cloudflare.com/workers/configuration/routing/routes/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for route in routes(env) {
        if route.inherited {
            continue;
        }
        let Some(zone_node) = route.table.and_then(|t| t.get("zone_name")) else { continue };
        let Some(zone) = zone_node.as_str().map(|z| z.trim_end_matches('.').to_ascii_lowercase())
        else {
            continue;
        };
        let host = host_of(route.pattern);
        if host.is_empty() || host == zone || host.ends_with(&format!(".{zone}")) {
            continue;
        }
        // `*example.com` also matches `example.com` itself.
        if route.pattern.starts_with('*') && zone.ends_with(&host) {
            continue;
        }
        sink.report(
            Some(env),
            zone_node.span,
            format!(
                "route `{}` is not in zone `{}`",
                route.pattern,
                zone_node.as_str().unwrap_or("")
            ),
        )
        .help(format!("set zone_name to the zone that serves {host}"));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn hosts_in_their_zone_pass() {
        let text = format!(
            "{BASE}routes = [{{ pattern = \"api.example.com/*\", zone_name = \"example.com\" }}, {{ pattern = \"*example.com/*\", zone_name = \"example.com\" }}, {{ pattern = \"example.com/*\", zone_name = \"Example.com\" }}]\n"
        );
        assert_eq!(toml("RTE003", &text), Vec::<String>::new());
    }

    #[test]
    fn hosts_outside_their_zone_are_errors() {
        let text = format!(
            "{BASE}routes = [{{ pattern = \"api.example.org/*\", zone_name = \"example.com\" }}, {{ pattern = \"badexample.com/*\", zone_name = \"example.com\" }}]\n"
        );
        assert_eq!(
            toml("RTE003", &text),
            [
                "4:56 error [top] route `api.example.org/*` is not in zone `example.com`",
                "4:117 error [top] route `badexample.com/*` is not in zone `example.com`",
            ]
        );
    }
}
