use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// Settings that exclude or require each other.
pub const RULE: Rule = Rule {
    code: "CFG012",
    name: "conflicting-settings",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "Settings that exclude each other are both set, or one is set without the one it needs",
    docs: r#"## What it checks
Combinations wrangler refuses:
- `route` and `routes` in the same environment, or `route` in an environment that inherits
  `routes` (wrangler then deploys the inherited routes and ignores `route`);
- a route with both `zone_id` and `zone_name`;
- `placement.hint` without `placement.mode = "smart"`, or together with `region`, `host` or
  `hostname`;
- an `[observability]` table with none of `enabled`, `logs.enabled`, `traces.enabled`;
- a Durable Object binding with `environment` but no `script_name`;
- `name` or `account_id` in an environment when `legacy_env = false`.

## Why it matters
wrangler refuses the config before building.

## Example
```toml
route = "example.com/*"
routes = ["api.example.com/*"]   # bad: only one of route and routes
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let table = env.own_table();
    let prefix = env.path_prefix();
    if let (Some(_), Some(routes)) = (table.entry("route"), table.entry("routes")) {
        sink.report(
            Some(env),
            routes.key_span,
            format!(
                "`{prefix}route` and `{prefix}routes` are both set; wrangler takes exactly one"
            ),
        )
        .help("move the single route into `routes`");
    }
    if let (Some(route), Some(routes)) = (table.entry("route"), env.get("routes"))
        && routes.inherited
    {
        sink.report(Some(env), route.key_span, format!("{} sets `route` but inherits `routes` from the top level; wrangler deploys the inherited routes and ignores this one", env.label()))
            .help(format!("write it as `routes = [...]` in {} to replace the top level's", env.label()));
    }
    let route_tables =
        table.get("routes").map(Node::items).unwrap_or_default().iter().chain(table.get("route"));
    for route in route_tables {
        if let (Some(_), Some(zone_name)) = (route.entry("zone_id"), route.entry("zone_name")) {
            sink.report(
                Some(env),
                zone_name.key_span,
                "a route sets both `zone_id` and `zone_name`; wrangler takes one",
            )
            .help("keep one of them");
        }
    }
    if let Some(placement) = table.get("placement") {
        let smart = placement.get("mode").and_then(Node::as_str) == Some("smart");
        if let Some(hint) = placement.entry("hint") {
            let targeted =
                ["region", "host", "hostname"].iter().find_map(|key| placement.entry(key));
            if let Some(targeted) = targeted {
                sink.report(Some(env), targeted.key_span, format!("`{prefix}placement` has both `hint` (smart placement) and `{}` (targeted placement)", targeted.key))
                    .help("choose one way of placing the worker");
            } else if !smart {
                sink.report(
                    Some(env),
                    hint.key_span,
                    format!("`{prefix}placement.hint` only works with `mode = \"smart\"`"),
                )
                .help("add mode = \"smart\", or remove the hint");
            }
        }
    }
    if let Some(observability) = table.entry("observability").filter(|e| e.value.is_table()) {
        let enabled = observability.value.get("enabled").is_some()
            || observability.value.get("logs").and_then(|l| l.get("enabled")).is_some()
            || observability.value.get("traces").and_then(|t| t.get("enabled")).is_some();
        if !enabled {
            sink.report(Some(env), observability.key_span, format!("`{prefix}observability` sets none of `enabled`, `logs.enabled` and `traces.enabled`; wrangler requires one"))
                .help("add `enabled = true`");
        }
    }
    if let Some(durable_objects) = table.get("durable_objects") {
        for binding in durable_objects.get("bindings").map(Node::items).unwrap_or_default() {
            if let (Some(environment), None) =
                (binding.entry("environment"), binding.get("script_name"))
            {
                sink.report(Some(env), environment.key_span, "a Durable Object binding sets `environment` without `script_name`")
                    .help("name the worker that hosts the class in `script_name`, or remove `environment`");
            }
        }
    }
    if env.table.is_some() && context.root.get("legacy_env").and_then(Node::as_bool) == Some(false)
    {
        for key in ["name", "account_id"] {
            if let Some(entry) = table.entry(key) {
                sink.report(Some(env), entry.key_span, format!("`{prefix}{key}` is not allowed when `legacy_env = false` (service environments)"))
                    .help("remove it; service environments take the top-level value");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn compatible_settings_pass() {
        let text = format!(
            "{BASE}routes = [{{ pattern = \"a.example.com/*\", zone_name = \"example.com\" }}]\n[placement]\nmode = \"smart\"\nhint = \"wnam\"\n[observability]\nenabled = true\n"
        );
        assert_eq!(toml("CFG012", &text), Vec::<String>::new());
    }

    #[test]
    fn conflicting_settings_are_errors() {
        let text = format!(
            "{BASE}route = \"a.example.com/*\"\nroutes = [{{ pattern = \"b.example.com/*\", zone_id = \"z\", zone_name = \"example.com\" }}]\n[placement]\nhint = \"wnam\"\n[observability]\nhead_sampling_rate = 0.5\n[[durable_objects.bindings]]\nname = \"C\"\nclass_name = \"C\"\nenvironment = \"production\"\n"
        );
        assert_eq!(
            toml("CFG012", &text),
            [
                "5:1 error [top] `route` and `routes` are both set; wrangler takes exactly one",
                "5:57 error [top] a route sets both `zone_id` and `zone_name`; wrangler takes one",
                "7:1 error [top] `placement.hint` only works with `mode = \"smart\"`",
                "8:2 error [top] `observability` sets none of `enabled`, `logs.enabled` and `traces.enabled`; wrangler requires one",
                "13:1 error [top] a Durable Object binding sets `environment` without `script_name`",
            ]
        );
        let inherited = format!(
            "{BASE}routes = [\"a.example.com/*\"]\n[env.staging]\nroute = \"staging.example.com/*\"\n"
        );
        assert_eq!(
            toml("CFG012", &inherited),
            [
                "6:1 error [staging] env.staging sets `route` but inherits `routes` from the top level; wrangler deploys the inherited routes and ignores this one"
            ]
        );
        let legacy = format!("{BASE}legacy_env = false\n[env.staging]\nname = \"app-staging\"\n");
        assert_eq!(
            toml("CFG012", &legacy),
            [
                "6:1 error [staging] `env.staging.name` is not allowed when `legacy_env = false` (service environments)"
            ]
        );
    }
}
