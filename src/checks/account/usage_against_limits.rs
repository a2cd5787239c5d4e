use super::text;
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::platform::limits::{D1_DATABASE_MAX_BYTES_FREE, D1_DATABASE_MAX_BYTES_PAID};
use crate::remote::Snapshot;

/// Share of a limit from which usage is a warning.
const WARN_AT_PERCENT: f64 = 80.0;

/// Storage the account uses against the plan's limits.
pub const RULE: Rule = Rule {
    code: "ACC004",
    name: "usage-against-limits",
    service: Service::Account,
    severity: Severity::Warning,
    fixable: false,
    summary: "A bound D1 database is near or over its size limit; KV and R2 usage is unavailable (--remote)",
    docs: r#"## What it checks
With `--remote`: the size of each bound D1 database (`file_size`) against the largest database
the plan allows (10 GB on Workers Paid, 500 MB on Free), as a percentage. From 80 % of the Paid
limit it is a warning, past it an error; below, the figure is shown as verified. For KV
namespaces and R2 buckets the API atom-sage reads exposes no usage, so the pretty and JSON
reports list them as unavailable rather than passed; they are not counted as unknown, and the
annotation formats (github, concise, SARIF) leave them out, since no change to the project could
remove them.

## Why it matters
A D1 database at its limit refuses writes (`SQLITE_FULL`) in production; nothing in the deploy
says so.

## Example
```text
✓ D1 DB usage: → 7.9 GB of 10 GB (79.0 %)
```

## Known limitations
The API does not say which plan the account is on; the Free limit is only named in the message.

## See also
https://developers.cloudflare.com/d1/platform/limits/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(_: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    for database in env.items("d1_databases") {
        let Some((binding, _)) = text(database, "binding") else { continue };
        let Some((id, span)) = text(database, "database_id") else { continue };
        let Some(remote) = snapshot.d1.get(id) else { continue };
        let subject = format!("D1 {binding} usage");
        let size = match &remote.info {
            Ok(Some(info)) => info.file_size,
            Ok(None) => continue, // database-not-found says so
            Err(reason) => {
                sink.unknown(Some(env), span, subject, reason);
                continue;
            }
        };
        let Some(size) = size else {
            sink.unknown(Some(env), span, subject, "the API gave no file_size");
            continue;
        };
        let percent = percent_of_limit(size);
        let figure =
            format!("{} of {} ({percent:.1} %)", bytes(size), bytes(D1_DATABASE_MAX_BYTES_PAID));
        let Some(severity) = verdict(size) else {
            let free = if size > D1_DATABASE_MAX_BYTES_FREE {
                "; over the Free plan's 500 MB"
            } else {
                ""
            };
            sink.verified(Some(env), span, subject, format!("→ {figure}{free}"));
            continue;
        };
        let over = severity == Severity::Error;
        sink.report(
            Some(env),
            span,
            format!(
                "D1 database of binding {binding} holds {figure} of the Workers Paid limit{}",
                if over { "; writes fail" } else { "" }
            ),
        )
        .binding(binding)
        .severity(severity)
        .help("delete or archive old rows, or split the data over several databases");
    }
    for (key, what) in [("kv_namespaces", "KV"), ("r2_buckets", "R2")] {
        for item in env.items(key) {
            let Some((binding, span)) = text(item, "binding") else { continue };
            sink.unavailable(
                Some(env),
                span,
                format!("{what} {binding} usage"),
                "the API exposes no storage usage for it",
            );
        }
    }
}

/// A database's size as a percentage of the Paid plan's limit.
fn percent_of_limit(size: u64) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "a percentage to one decimal")]
    let percent = size as f64 * 100.0 / D1_DATABASE_MAX_BYTES_PAID as f64;
    percent
}

/// `None` below the warning share; a warning from it; an error at the limit.
fn verdict(size: u64) -> Option<Severity> {
    if size >= D1_DATABASE_MAX_BYTES_PAID {
        Some(Severity::Error)
    } else if percent_of_limit(size) >= WARN_AT_PERCENT {
        Some(Severity::Warning)
    } else {
        None
    }
}

/// Bytes in Cloudflare's decimal units.
fn bytes(size: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a figure to one decimal")]
    let size_f = size as f64;
    match size {
        0..1_000 => format!("{size} B"),
        1_000..1_000_000 => format!("{:.1} kB", size_f / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", size_f / 1e6),
        _ => format!("{:.1} GB", size_f / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::{bytes, verdict};
    use crate::diagnostic::Severity;

    #[test]
    fn a_database_near_its_limit_is_a_warning_and_at_it_an_error() {
        assert_eq!(verdict(7_999_999_999), None);
        assert_eq!(verdict(8_000_000_000), Some(Severity::Warning));
        assert_eq!(verdict(10_000_000_000), Some(Severity::Error));
    }

    #[test]
    fn sizes_read_in_decimal_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1_500_000), "1.5 MB");
        assert_eq!(bytes(10_000_000_000), "10.0 GB");
    }
}
