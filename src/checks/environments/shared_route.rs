use std::collections::{HashMap, HashSet};

use crate::checks::routes::routes;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// One route claimed by two environments.
pub const RULE: Rule = Rule {
    code: "ENV003",
    name: "route-in-two-environments",
    service: Service::Environments,
    severity: Severity::Error,
    fixable: false,
    summary: "Two environments deploy the same route or custom domain, so each deploy takes it from the other",
    docs: r#"## What it checks
Route patterns and custom domains claimed by more than one environment, including routes an
environment inherits from the top level because it sets none of its own. Two named
environments sharing one is an error; the top level and an environment sharing one is a warning.

## Why it matters
A route belongs to one worker. Each environment deploys as its own worker, so deploying
staging moves production's route to the staging worker, and production traffic with it.

## Example
```toml
routes = ["api.example.com/*"]
[env.staging]            # bad: inherits api.example.com/* from the top level
[env.staging]
routes = ["staging-api.example.com/*"]   # good
```

## Known limitations
Routes held by workers outside this config are only known with `--remote`.

## See also
https://developers.cloudflare.com/workers/configuration/routing/routes/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Project(check) };

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    /// What is known of one pattern so far, in file order.
    #[derive(Default)]
    struct Seen<'e> {
        /// The first named environment that claims it.
        named: Option<&'e Environment<'e>>,
        /// The top level, when it claims it.
        top: Option<&'e Environment<'e>>,
        /// Every environment that claims it, each reported once.
        claimants: HashSet<Option<&'e str>>,
    }
    let mut patterns: HashMap<String, Seen<'_>> = HashMap::new();
    for env in context.environments {
        for route in routes(env) {
            let seen = patterns.entry(normalize(route.pattern)).or_default();
            if !seen.claimants.insert(env.name) {
                continue;
            }
            // A clash with another named environment outranks one with the top level.
            let other = seen.named.or(seen.top).filter(|other| other.name != env.name);
            if env.is_top_level() {
                seen.top.get_or_insert(env);
            } else {
                seen.named.get_or_insert(env);
            }
            let Some(first) = other else { continue };
            let what = if route.custom_domain { "custom domain" } else { "route" };
            let how = if route.inherited { " (inherited from the top level)" } else { "" };
            let span =
                if route.inherited { env.name_span.unwrap_or(route.span) } else { route.span };
            let severity = if first.is_top_level() { Severity::Warning } else { Severity::Error };
            sink.report(Some(env), span, format!(
                "{} deploys {what} `{}`{how}, which {} also deploys: each deploy moves it to its own worker",
                env.label(),
                route.pattern,
                first.label()
            ))
            .severity(severity)
            .help(format!("give {} its own `routes`, on a hostname of its own", env.label()));
        }
    }
}

fn normalize(pattern: &str) -> String {
    pattern.trim().trim_start_matches("https://").trim_start_matches("http://").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn distinct_routes_pass() {
        let text = format!(
            "{BASE}[env.staging]\nroutes = [\"staging.example.com/*\"]\n[env.production]\nroutes = [{{ pattern = \"example.com\", custom_domain = true }}]\n"
        );
        assert_eq!(toml("ENV003", &text), Vec::<String>::new());
    }

    #[test]
    fn shared_routes_are_reported() {
        let text = format!(
            "{BASE}routes = [\"api.example.com/*\"]\n[env.staging]\n[env.production]\nroutes = [\"API.example.com/*\"]\n[env.qa]\nroutes = [\"api.example.com/*\"]\n"
        );
        assert_eq!(
            toml("ENV003", &text),
            [
                "5:6 warning [staging] env.staging deploys route `api.example.com/*` (inherited from the top level), which top level also deploys: each deploy moves it to its own worker",
                "7:11 error [production] env.production deploys route `API.example.com/*`, which env.staging also deploys: each deploy moves it to its own worker",
                "9:11 error [qa] env.qa deploys route `api.example.com/*`, which env.staging also deploys: each deploy moves it to its own worker",
            ]
        );
    }

    #[test]
    fn named_environments_sharing_a_route_is_an_error() {
        let text = format!(
            "{BASE}[env.staging]\nroute = \"a.example.com/*\"\n[env.production]\nroute = \"a.example.com/*\"\n"
        );
        assert_eq!(
            toml("ENV003", &text),
            [
                "7:9 error [production] env.production deploys route `a.example.com/*`, which env.staging also deploys: each deploy moves it to its own worker"
            ]
        );
    }
}
