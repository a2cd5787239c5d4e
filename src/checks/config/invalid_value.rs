use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::syntax::{Node, Value};

/// Values of the right type that wrangler still refuses.
pub const RULE: Rule = Rule {
    code: "CFG013",
    name: "invalid-value",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "A value has the right type but one wrangler refuses, such as a sampling rate above 1",
    docs: r#"## What it checks
Values wrangler checks beyond their type: `observability.head_sampling_rate` (and the one under
`logs`) between 0 and 1, and a rate limit's `simple.period` of 10 or 60 seconds.

## Why it matters
wrangler refuses the config before building.

## Example
```toml
[[ratelimits]]
name = "LIMITER"
namespace_id = "1001"
simple = { limit = 100, period = 30 }   # bad: 10 or 60
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let table = env.own_table();
    let prefix = env.path_prefix();
    if let Some(observability) = table.get("observability") {
        for (path, node) in [
            ("observability.head_sampling_rate", observability.get("head_sampling_rate")),
            (
                "observability.logs.head_sampling_rate",
                observability.get("logs").and_then(|l| l.get("head_sampling_rate")),
            ),
        ] {
            let Some(node) = node else { continue };
            if node.as_f64().is_some_and(|rate| !(0.0..=1.0).contains(&rate)) {
                sink.report(
                    Some(env),
                    node.span,
                    format!("`{prefix}{path}` must be between 0 and 1"),
                )
                .help("a sampling rate is a fraction: 0.1 keeps one request in ten");
            }
        }
    }
    for (index, limiter) in
        table.get("ratelimits").map(Node::items).unwrap_or_default().iter().enumerate()
    {
        let Some(period) = limiter.get("simple").and_then(|s| s.get("period")) else { continue };
        let allowed = matches!(period.value, Value::Integer(10 | 60));
        if period.as_f64().is_some() && !allowed {
            sink.report(
                Some(env),
                period.span,
                format!("`{prefix}ratelimits[{index}].simple.period` must be 10 or 60 seconds"),
            )
            .help("rate limits count over 10 or 60 seconds");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn values_in_range_pass() {
        let text = format!(
            "{BASE}[observability]\nenabled = true\nhead_sampling_rate = 0.5\n[[ratelimits]]\nname = \"L\"\nnamespace_id = \"1\"\nsimple = {{ limit = 1, period = 60 }}\n"
        );
        assert_eq!(toml("CFG013", &text), Vec::<String>::new());
    }

    #[test]
    fn values_out_of_range_are_errors() {
        let text = format!(
            "{BASE}[observability]\nenabled = true\nhead_sampling_rate = 2\n[[ratelimits]]\nname = \"L\"\nnamespace_id = \"1\"\nsimple = {{ limit = 1, period = 30 }}\n"
        );
        assert_eq!(
            toml("CFG013", &text),
            [
                "6:22 error [top] `observability.head_sampling_rate` must be between 0 and 1",
                "10:32 error [top] `ratelimits[0].simple.period` must be 10 or 60 seconds",
            ]
        );
    }
}
