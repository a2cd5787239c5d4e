use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::platform::limits::CPU_MS_MAX;

/// A CPU limit beyond what the platform allows.
pub const RULE: Rule = Rule {
    code: "LIM001",
    name: "cpu-ms-over-limit",
    service: Service::Limits,
    severity: Severity::Error,
    fixable: false,
    summary: "limits.cpu_ms is beyond the maximum of 300,000 ms, or not positive",
    docs: r"## What it checks
`limits.cpu_ms`: the CPU time an invocation may use, at most 300,000 ms (five minutes) on the
Workers Paid plan, and more than zero.

## Why it matters
wrangler passes the value through; the upload is rejected.

## Example
```toml
[limits]
cpu_ms = 600000   # bad
cpu_ms = 300000   # good
```

## Known limitations
The Free plan does not allow `limits` at all; the plan is only known with `--remote`.

## See also
https://developers.cloudflare.com/workers/platform/limits/#cpu-time
",
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(limits) = env.own("limits") else { return };
    let Some(node) = limits.node.get("cpu_ms") else { return };
    let Some(value) = node.as_f64() else { return };
    let shown = match node.value {
        crate::syntax::Value::Integer(whole) => whole.to_string(),
        _ => value.to_string(),
    };
    #[expect(clippy::cast_precision_loss, reason = "the limit is far below 2^52")]
    let max = CPU_MS_MAX as f64;
    if value.is_nan() {
        sink.report(Some(env), node.span, "limits.cpu_ms is not a number")
            .help("give the limit in milliseconds, e.g. 50");
    } else if value > max {
        sink.report(
            Some(env),
            node.span,
            format!("limits.cpu_ms = {shown} is beyond the maximum of {CPU_MS_MAX} ms"),
        )
        .help(format!("use at most {CPU_MS_MAX} (five minutes)"));
    } else if value <= 0.0 {
        sink.report(
            Some(env),
            node.span,
            format!("limits.cpu_ms = {shown} must be more than zero"),
        )
        .help("remove it for the default of 30,000 ms, or give a positive number");
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn limits_within_range_pass() {
        assert_eq!(
            toml("LIM001", &format!("{BASE}[limits]\ncpu_ms = 300000\n")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn limits_out_of_range_are_errors() {
        let text = format!(
            "{BASE}[limits]\ncpu_ms = 600000\n[env.a.limits]\ncpu_ms = 0\n[env.b.limits]\ncpu_ms = nan\n"
        );
        assert_eq!(
            toml("LIM001", &text),
            [
                "5:10 error [top] limits.cpu_ms = 600000 is beyond the maximum of 300000 ms",
                "7:10 error [a] limits.cpu_ms = 0 must be more than zero",
                "9:10 error [b] limits.cpu_ms is not a number",
            ]
        );
    }
}
