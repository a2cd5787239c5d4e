use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::platform::limits;
use crate::syntax::Node;

/// Queue consumer settings beyond the platform's limits.
pub const RULE: Rule = Rule {
    code: "QUE001",
    name: "consumer-limits",
    service: Service::Queues,
    severity: Severity::Error,
    fixable: false,
    summary: "A queue consumer's batch size, timeout, retries, concurrency or delay is beyond its limit",
    docs: r#"## What it checks
Each `[[queues.consumers]]` entry: `max_batch_size` at most 100, `max_batch_timeout` at most 60
seconds, `max_retries` at most 100, `max_concurrency` at most 250, `retry_delay` at most 86,400
seconds; none of them negative. Also a dead letter queue that is the consumer's own queue.

## Why it matters
wrangler passes the values through; the consumer is refused when the worker is deployed.

## Example
```toml
[[queues.consumers]]
queue = "jobs"
max_batch_size = 500   # bad: at most 100
max_batch_size = 100   # good
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/queues/platform/limits/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

const LIMITS: &[(&str, f64, &str)] = &[
    ("max_batch_size", limits::QUEUE_MAX_BATCH_SIZE as f64, "messages"),
    ("max_batch_timeout", limits::QUEUE_MAX_BATCH_TIMEOUT_SECS as f64, "seconds"),
    ("max_retries", limits::QUEUE_MAX_RETRIES as f64, "retries"),
    ("max_concurrency", limits::QUEUE_MAX_CONCURRENCY as f64, "concurrent invocations"),
    ("retry_delay", limits::QUEUE_MAX_DELAY_SECS as f64, "seconds"),
];

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(queues) = env.get("queues") else { return };
    for consumer in queues.node.get("consumers").map(Node::items).unwrap_or_default() {
        let queue = consumer.get("queue").and_then(Node::as_str).unwrap_or("?");
        for &(key, max, unit) in LIMITS {
            let Some(node) = consumer.get(key) else { continue };
            let Some(value) = node.as_f64() else { continue };
            let shown = match node.value {
                crate::syntax::Value::Integer(whole) => whole.to_string(),
                _ => value.to_string(),
            };
            let minimum = if key == "max_batch_size" { 1.0 } else { 0.0 };
            if value > max {
                sink.report(Some(env), node.span, format!("queue consumer `{queue}` sets {key} = {shown}, beyond the limit of {max} {unit}"))
                    .binding(queue)
                    .help(format!("use at most {max}"));
            } else if value < minimum {
                sink.report(Some(env), node.span, format!("queue consumer `{queue}` sets {key} = {shown}, below the minimum of {minimum}"))
                    .binding(queue)
                    .help(format!("use at least {minimum}"));
            }
        }
        if let Some(dead_letter) = consumer.get("dead_letter_queue")
            && dead_letter.as_str() == Some(queue)
        {
            sink.report(
                Some(env),
                dead_letter.span,
                format!("queue consumer `{queue}` uses its own queue as dead letter queue"),
            )
            .binding(queue)
            .help(format!("send failed messages to a separate queue, e.g. `{queue}-dlq`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn values_within_limits_pass() {
        let text = format!(
            "{BASE}[[queues.consumers]]\nqueue = \"jobs\"\nmax_batch_size = 100\nmax_batch_timeout = 60\nmax_retries = 3\ndead_letter_queue = \"jobs-dlq\"\n"
        );
        assert_eq!(toml("QUE001", &text), Vec::<String>::new());
    }

    #[test]
    fn values_beyond_limits_are_errors() {
        let text = format!(
            "{BASE}[[queues.consumers]]\nqueue = \"jobs\"\nmax_batch_size = 500\nmax_batch_timeout = 120\nretry_delay = -5\ndead_letter_queue = \"jobs\"\n"
        );
        assert_eq!(
            toml("QUE001", &text),
            [
                "6:18 error [top] queue consumer `jobs` sets max_batch_size = 500, beyond the limit of 100 messages",
                "7:21 error [top] queue consumer `jobs` sets max_batch_timeout = 120, beyond the limit of 60 seconds",
                "8:15 error [top] queue consumer `jobs` sets retry_delay = -5, below the minimum of 0",
                "9:21 error [top] queue consumer `jobs` uses its own queue as dead letter queue",
            ]
        );
    }
}
