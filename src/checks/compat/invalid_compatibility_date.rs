use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::date::{Date, DateError};
use crate::diagnostic::{Service, Severity};
use crate::platform::limits::is_runtime_compat_date;

/// A compatibility date that is not a real date, or is in the future.
pub const RULE: Rule = Rule {
    code: "CMP002",
    name: "invalid-compatibility-date",
    service: Service::Compat,
    severity: Severity::Error,
    fixable: false,
    summary: "compatibility_date is not a real YYYY-MM-DD date, or is later than tomorrow",
    docs: r#"## What it checks
That `compatibility_date` is written `YYYY-MM-DD` with a year from 2000 (an error otherwise),
is not later than tomorrow (UTC, allowing for time zones; an error), and names a day that
exists (`2025-02-30` does not; a warning, as the runtime accepts any day from 1 to 31).

## Why it matters
The API rejects a date it cannot parse or one in the future, and the deploy fails after the
build has run.

## Example
```toml
compatibility_date = "2025-02-30"   # bad: February has no 30th
compatibility_date = "2025-02-28"   # good
```

## Known limitations
A date newer than the workerd bundled with the user's wrangler works on deploy but not in
`wrangler dev`; that is not reported.

## See also
https://developers.cloudflare.com/workers/configuration/compatibility-dates/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(field) = env.own("compatibility_date") else { return };
    let Some(text) = field.node.as_str() else { return };
    let span = field.node.span;
    match Date::parse(text) {
        Err(DateError::Format) => {
            sink.report(
                Some(env),
                span,
                format!("compatibility_date `{text}` is not a date of the form YYYY-MM-DD"),
            )
            .help(format!("write it as \"{}\"", context.today));
        }
        // The runtime itself only checks that the day is 1-31 and the year 2000-2999; a day
        // that does not exist in its month deploys, but was not what anyone meant.
        Err(DateError::NoSuchDay) if is_runtime_compat_date(text) => {
            sink.report(
                Some(env),
                span,
                format!("compatibility_date `{text}` is not a real calendar date"),
            )
            .severity(Severity::Warning)
            .help("pick a day that exists; the runtime behaves as of that date");
        }
        Err(DateError::NoSuchDay) => {
            sink.report(Some(env), span, format!("compatibility_date `{text}` is out of range; the runtime refuses it"))
                .help("a compatibility date is YYYY-MM-DD with a year from 2000, a month 1-12 and a day 1-31");
        }
        Ok(date) if !is_runtime_compat_date(text) => {
            sink.report(Some(env), span, format!("compatibility_date `{date}` is out of range; the runtime refuses it"))
                .help("a compatibility date is YYYY-MM-DD with a year from 2000, a month 1-12 and a day 1-31");
        }
        Ok(date) if date > context.today.next_day() => {
            sink.report(
                Some(env),
                span,
                format!(
                    "compatibility_date `{text}` is in the future (today is {} UTC)",
                    context.today
                ),
            )
            .help(format!("use today's date, \"{}\", or an earlier one", context.today));
        }
        Ok(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::toml;
    use crate::date::Date;

    #[test]
    fn real_past_dates_pass() {
        let tomorrow = Date::today().next_day();
        for date in ["2024-02-29", "2021-11-03", &tomorrow.to_string()] {
            assert_eq!(
                toml("CMP002", &format!("name = \"a\"\ncompatibility_date = \"{date}\"\n")),
                Vec::<String>::new()
            );
        }
    }

    #[test]
    fn bad_dates_are_errors() {
        let text = "name = \"a\"\ncompatibility_date = \"2025-02-30\"\n[env.a]\ncompatibility_date = \"2025-1-1\"\n[env.b]\ncompatibility_date = \"2999-01-01\"\n[env.c]\ncompatibility_date = \"1999-12-31\"\n[env.d]\ncompatibility_date = \"2025–01–01\"\n";
        let found = toml("CMP002", text);
        assert_eq!(
            found[0],
            "2:22 warning [top] compatibility_date `2025-02-30` is not a real calendar date"
        );
        assert_eq!(
            found[1],
            "4:22 error [a] compatibility_date `2025-1-1` is not a date of the form YYYY-MM-DD"
        );
        assert!(
            found[2].starts_with("6:22 error [b] compatibility_date `2999-01-01` is in the future"),
            "{}",
            found[2]
        );
        assert_eq!(
            found[3],
            "8:22 error [c] compatibility_date `1999-12-31` is out of range; the runtime refuses it"
        );
        assert_eq!(
            found[4],
            "10:22 error [d] compatibility_date `2025–01–01` is not a date of the form YYYY-MM-DD"
        );
        assert_eq!(found.len(), 5);
    }
}
