use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::platform::cron::validate_cron;
use crate::syntax::Node;

/// Days of the week written as numbers, which Cloudflare counts from Sunday = 1.
pub const RULE: Rule = Rule {
    code: "TRG002",
    name: "cron-weekday-numbering",
    service: Service::Triggers,
    severity: Severity::Warning,
    fixable: true,
    summary: "A cron trigger gives days of the week as numbers; Cloudflare counts them from 1 = Sunday",
    docs: r#"## What it checks
Cron triggers whose day-of-week field uses numbers. Cron Triggers number the days 1 (Sunday)
to 7 (Saturday), unlike the 0-6 or 1 = Monday of other cron dialects, so `1-5` means Sunday to
Thursday.

## Why it matters
A job meant for weekdays runs on Sunday and skips Friday, and nothing fails to say so.

## Example
```toml
crons = ["0 9 * * 1-5"]       # warning: Sunday to Thursday
crons = ["0 9 * * MON-FRI"]   # good: names cannot be misread
```

## Known limitations
The check cannot know which days were meant, only that numbers are easy to misread.

## See also
https://developers.cloudflare.com/workers/configuration/cron-triggers/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

const NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(triggers) = env.own("triggers") else { return };
    for item in triggers.node.get("crons").map(Node::items).unwrap_or_default() {
        let Some(expression) = item.as_str() else { continue };
        if validate_cron(expression).is_err() {
            continue; // invalid-cron says what is wrong
        }
        let Some(weekdays) = expression.split_whitespace().nth(4) else { continue };
        if !weekdays.bytes().any(|b| b.is_ascii_digit())
            || weekdays.contains('#')
            || weekdays.contains('L')
        {
            continue;
        }
        let named = rename(weekdays);
        sink.report(Some(env), item.span, format!("cron trigger `{expression}` gives days of the week as numbers: `{weekdays}` means {named} on Cloudflare, where 1 is Sunday"))
            .help(format!("write the days by name, e.g. `{named}`, so they cannot be misread"));
    }
}

/// The day field with numbers replaced by day names, as Cloudflare reads it.
fn rename(field: &str) -> String {
    let mut out = String::new();
    let mut number = String::new();
    let flush = |number: &mut String, out: &mut String| {
        if let Ok(day) = number.parse::<usize>() {
            out.push_str(NAMES.get(day.wrapping_sub(1)).copied().unwrap_or("?"));
        } else {
            out.push_str(number);
        }
        number.clear();
    };
    for c in field.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else {
            flush(&mut number, &mut out);
            out.push(c);
        }
    }
    flush(&mut number, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn named_days_pass() {
        let text = format!(
            "{BASE}[triggers]\ncrons = [\"0 9 * * MON-FRI\", \"*/5 * * * *\", \"0 0 1 * *\"]\n"
        );
        assert_eq!(toml("TRG002", &text), Vec::<String>::new());
    }

    #[test]
    fn numbered_days_are_warnings() {
        let text = format!("{BASE}[triggers]\ncrons = [\"0 9 * * 1-5\"]\n");
        assert_eq!(
            toml("TRG002", &text),
            [
                "5:10 warning [top] cron trigger `0 9 * * 1-5` gives days of the week as numbers: `1-5` means SUN-THU on Cloudflare, where 1 is Sunday"
            ]
        );
    }
}
