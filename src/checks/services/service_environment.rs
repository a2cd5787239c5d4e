use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::Node;

/// A service binding that targets a wrangler environment by `environment`.
pub const RULE: Rule = Rule {
    code: "SVC001",
    name: "service-binding-environment",
    service: Service::Services,
    severity: Severity::Error,
    fixable: true,
    summary: "A service binding sets `environment`, but wrangler environments are separate workers",
    docs: r#"## What it checks
Service bindings that set `environment`. That key belongs to the retired service-environments
model; with wrangler's environments each environment is its own worker, named
`<name>-<env>`.

## Why it matters
The binding points at an environment of the target that does not exist, and the deploy fails
(code 10144), or the binding reaches the wrong worker.

## Example
```toml
[[env.production.services]]
binding = "EVENTS"
service = "event-delivery"
environment = "production"            # bad
[[env.production.services]]
binding = "EVENTS"
service = "event-delivery-production" # good
```

## Known limitations
Whether the target worker exists is only known with `--remote`.

## See also
https://developers.cloudflare.com/workers/runtime-apis/bindings/service-bindings/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for binding in env.items("services") {
        let Some(entry) = binding.entry("environment") else { continue };
        let Some(target_env) = entry.value.as_str() else { continue };
        let name = binding.get("binding").and_then(Node::as_str).unwrap_or("?");
        let service = binding.get("service").and_then(Node::as_str).unwrap_or("?");
        sink.report(Some(env), entry.key_span, format!(
            "service binding `{name}` targets `{service}` with environment `{target_env}`, but wrangler environments are separate workers; the deploy fails (code 10144)"
        ))
        .binding(name)
        .help(format!("use service = \"{service}-{target_env}\" and remove `environment`"));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn plain_service_bindings_pass() {
        let text = format!(
            "{BASE}[[services]]\nbinding = \"EVENTS\"\nservice = \"event-delivery-production\"\n"
        );
        assert_eq!(toml("SVC001", &text), Vec::<String>::new());
    }

    #[test]
    fn environment_keys_are_errors() {
        let text = format!(
            "{BASE}[env.production]\n[[env.production.services]]\nbinding = \"EVENTS\"\nservice = \"event-delivery\"\nenvironment = \"production\"\n"
        );
        assert_eq!(
            toml("SVC001", &text),
            [
                "8:1 error [production] service binding `EVENTS` targets `event-delivery` with environment `production`, but wrangler environments are separate workers; the deploy fails (code 10144)"
            ]
        );
    }
}
