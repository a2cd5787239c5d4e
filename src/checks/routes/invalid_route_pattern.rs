use crate::checks::routes::routes;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// A route pattern Cloudflare rejects.
pub const RULE: Rule = Rule {
    code: "RTE001",
    name: "invalid-route-pattern",
    service: Service::Routes,
    severity: Severity::Error,
    fixable: false,
    summary: "A route pattern has a query string, a port, a foreign scheme or a misplaced wildcard",
    docs: r#"## What it checks
Route patterns (not custom domains): `host/path`, where the host may start with `*` and the
path may end with `*`, optionally after `http://` or `https://`. Another scheme, a query
string, a port, white space or a wildcard anywhere else is rejected.

## Why it matters
wrangler passes the pattern through; the route API refuses it and the deploy fails after the
script was uploaded, leaving the new version with no route.

## Example
```toml
routes = ["example.com/api/*?v=1"]   # bad
routes = ["example.com/api/*"]       # good
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/configuration/routing/routes/#matching-behavior
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for route in routes(env) {
        if route.custom_domain || route.inherited {
            continue;
        }
        if let Some((problem, help)) = problem(route.pattern) {
            sink.report(Some(env), route.span, format!("route `{}` {problem}", route.pattern))
                .help(help);
        }
    }
}

/// What is wrong with a route pattern, and what to write instead.
pub(crate) fn problem(pattern: &str) -> Option<(String, String)> {
    if pattern.is_empty() {
        return Some((
            "is empty".to_owned(),
            "write `host/path*`, e.g. `example.com/*`".to_owned(),
        ));
    }
    // `http://` and `https://` are accepted (and ignored); any other scheme is not.
    let bare = match pattern.split_once("://") {
        Some(("http" | "https", rest)) => rest,
        Some((scheme, rest)) => {
            return Some((
                format!("has the scheme `{scheme}://`; routes only serve HTTP and HTTPS"),
                format!("write `{rest}`"),
            ));
        }
        None => pattern,
    };
    if pattern.chars().any(char::is_whitespace) {
        return Some(("contains white space".to_owned(), "remove the spaces".to_owned()));
    }
    if let Some(at) = pattern.find('?') {
        return Some((
            "has a query string, which route patterns cannot match".to_owned(),
            format!("write `{}`, and check the query in the worker", &pattern[..at]),
        ));
    }
    let (host, path) = bare.split_once('/').unwrap_or((bare, ""));
    if host.is_empty() {
        return Some((
            "has no hostname".to_owned(),
            "start the pattern with the host, e.g. `example.com/*`".to_owned(),
        ));
    }
    if let Some((_, port)) = host.rsplit_once(':') {
        return Some((
            format!("has a port (`:{port}`), which route patterns cannot include"),
            "remove the port".to_owned(),
        ));
    }
    // A leading `*` covers the host and its subdomains; `*/*` serves every host of a SaaS zone.
    if host.strip_prefix('*').unwrap_or(host).contains('*') {
        return Some((
            "has a wildcard inside the hostname; only a leading `*` is allowed".to_owned(),
            "use `*.example.com/*` for every subdomain, or list the hosts".to_owned(),
        ));
    }
    if path.strip_suffix('*').unwrap_or(path).contains('*') {
        return Some((
            "has a wildcard inside the path; only a trailing `*` is allowed".to_owned(),
            "end the path with `*` and match the rest in the worker".to_owned(),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::problem;
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn valid_patterns_pass() {
        let valid = [
            "example.com",
            "example.com/*",
            "*example.com/*",
            "*.example.com/images/*",
            "https://*.example.com/images/*",
            "http://example.com/path*",
            "*/*",
        ];
        for pattern in valid {
            assert_eq!(problem(pattern), None, "{pattern}");
        }
        let text = format!(
            "{BASE}routes = [\"example.com/*\", {{ pattern = \"https://a.example.com/*\", zone_name = \"example.com\" }}]\n"
        );
        assert_eq!(toml("RTE001", &text), Vec::<String>::new());
    }

    #[test]
    fn invalid_patterns_are_errors() {
        let cases = [
            ("", "is empty"),
            ("example.com/?foo=*", "has a query string"),
            ("https://example.com/?anything", "has a query string"),
            ("ftp://example.com/*", "has the scheme `ftp://`"),
            ("example.com:8080/*", "has a port"),
            ("www.*.example.com/*", "wildcard inside the hostname"),
            ("example.*/*", "wildcard inside the hostname"),
            ("example.com/*.jpg", "wildcard inside the path"),
            ("example.com/*/images", "wildcard inside the path"),
            ("/path/*", "has no hostname"),
            ("https:///*", "has no hostname"),
            ("example.com /*", "white space"),
        ];
        for (pattern, expected) in cases {
            let found = problem(pattern).map(|(message, _)| message).unwrap_or_default();
            assert!(found.contains(expected), "{pattern}: {found}");
        }
        let text = format!(
            "{BASE}routes = [\"example.com/*\", {{ pattern = \"a.example.com/*.png\", zone_name = \"example.com\" }}]\n"
        );
        assert_eq!(
            toml("RTE001", &text),
            [
                "4:40 error [top] route `a.example.com/*.png` has a wildcard inside the path; only a trailing `*` is allowed"
            ]
        );
    }
}
