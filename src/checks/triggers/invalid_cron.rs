use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::platform::cron::validate_cron;
use crate::syntax::{Node, Span};

/// A cron expression Cloudflare rejects.
pub const RULE: Rule = Rule {
    code: "TRG001",
    name: "invalid-cron",
    service: Service::Triggers,
    severity: Severity::Error,
    fixable: false,
    summary: "A cron trigger is not an expression Cloudflare's scheduler accepts",
    docs: r#"## What it checks
Every entry of `triggers.crons` against the cron dialect Cron Triggers accept: exactly five
fields (minute, hour, day of month, month, day of week), no seconds, no `?`, no `@daily`
macros. Days of the week run from 1 (Sunday) to 7, or `SUN`-`SAT`.

## Why it matters
wrangler uploads the expressions unchecked; the schedule is rejected after the script was
deployed, and the worker never runs on time.

## Example
```toml
[triggers]
crons = ["0 */5 * * * *"]   # bad: six fields
crons = ["*/5 * * * *"]     # good
```

## Known limitations
Whether a schedule can ever fire (`0 0 31 2 *`) is not checked.

## See also
https://developers.cloudflare.com/workers/configuration/cron-triggers/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(triggers) = env.own("triggers") else { return };
    for item in triggers.node.get("crons").map(Node::items).unwrap_or_default() {
        let Some(expression) = item.as_str() else { continue };
        let Err(error) = validate_cron(expression) else { continue };
        // Point at the field at fault when the string has no escapes to shift offsets.
        let raw_len = (item.span.end - item.span.start) as usize;
        let span = if raw_len == expression.len() + 2 {
            let start = item.span.start as usize + 1;
            Span::new(start + error.range.start, start + error.range.end.max(error.range.start + 1))
        } else {
            item.span
        };
        sink.report(
            Some(env),
            span,
            format!("cron trigger `{expression}` is rejected by Cloudflare: {error}"),
        )
        .help("write five fields: minute hour day-of-month month day-of-week (1-7, 1 = Sunday)");
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn valid_expressions_pass() {
        let text = format!(
            "{BASE}[triggers]\ncrons = [\"*/5 * * * *\", \"0 0 * * MON\", \"30 9 L * *\"]\n"
        );
        assert_eq!(toml("TRG001", &text), Vec::<String>::new());
    }

    #[test]
    fn invalid_expressions_are_errors() {
        let text =
            format!("{BASE}[triggers]\ncrons = [\"0 */5 * * * *\", \"@daily\", \"61 * * * *\"]\n");
        let found = toml("TRG001", &text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0].starts_with(
                "5:11 error [top] cron trigger `0 */5 * * * *` is rejected by Cloudflare"
            ),
            "{}",
            found[0]
        );
        assert!(
            found[1].starts_with(
                "5:28 error [top] cron trigger `@daily` is rejected by Cloudflare: macros"
            ),
            "{}",
            found[1]
        );
        assert!(
            found[2].starts_with(
                "5:38 error [top] cron trigger `61 * * * *` is rejected by Cloudflare: minute field"
            ),
            "{}",
            found[2]
        );
    }
}
