use crate::checks::routes::routes;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// A custom domain with a wildcard or a path.
pub const RULE: Rule = Rule {
    code: "RTE002",
    name: "invalid-custom-domain",
    service: Service::Routes,
    severity: Severity::Error,
    fixable: false,
    summary: "A custom domain has a wildcard, a path or a scheme",
    docs: r#"## What it checks
Routes marked `custom_domain = true`: a custom domain is a bare hostname, with no wildcard, no
path and no scheme.

## Why it matters
Cloudflare creates a DNS record and a certificate for a custom domain; it rejects anything
that is not one hostname, and the deploy fails.

## Example
```toml
routes = [{ pattern = "api.example.com/*", custom_domain = true }]   # bad
routes = [{ pattern = "api.example.com", custom_domain = true }]     # good
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/configuration/routing/custom-domains/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for route in routes(env) {
        if !route.custom_domain || route.inherited {
            continue;
        }
        let domain = route.pattern;
        let host = domain.trim_start_matches("https://").trim_start_matches("http://");
        let problem = if host != domain {
            Some("has a scheme")
        } else if host.contains('/') {
            Some("has a path; a custom domain is a whole hostname")
        } else if host.contains('*') {
            Some("has a wildcard; custom domains cannot")
        } else if host.is_empty() {
            Some("is empty")
        } else {
            None
        };
        if let Some(problem) = problem {
            let bare = host.split('/').next().unwrap_or(host).trim_start_matches("*.");
            sink.report(Some(env), route.span, format!("custom domain `{domain}` {problem}"))
                .help(format!("write `{bare}`, or use a route (without custom_domain) for a wildcard or a path"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn bare_hostnames_pass() {
        let text =
            format!("{BASE}routes = [{{ pattern = \"api.example.com\", custom_domain = true }}]\n");
        assert_eq!(toml("RTE002", &text), Vec::<String>::new());
    }

    #[test]
    fn wildcards_and_paths_are_errors() {
        let text = format!(
            "{BASE}routes = [\n  {{ pattern = \"api.example.com/*\", custom_domain = true }},\n  {{ pattern = \"*.example.com\", custom_domain = true }},\n]\n"
        );
        assert_eq!(
            toml("RTE002", &text),
            [
                "5:15 error [top] custom domain `api.example.com/*` has a path; a custom domain is a whole hostname",
                "6:15 error [top] custom domain `*.example.com` has a wildcard; custom domains cannot",
            ]
        );
    }
}
