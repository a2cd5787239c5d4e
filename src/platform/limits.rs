//! Documented Cloudflare platform limits that a wrangler configuration can break.
//!
//! wrangler checks the shape of its configuration but few of these values, so breaking one only
//! shows up as an API error during deploy. Every value here is sourced in
//! `docs/platform-facts.md`; where Cloudflare documents no rule, this module says so instead of
//! inventing one. Sizes written "KB" by Cloudflare are ambiguous between 1,000 and 1,024 bytes,
//! so both readings are given where it matters.

// ---------------------------------------------------------------------------------------------
// D1 database size (`--remote` reads `file_size`)
// ---------------------------------------------------------------------------------------------

/// Largest D1 database on the Workers Paid plan, in bytes: 10 GB (Cloudflare's GB, 10^9).
pub const D1_DATABASE_MAX_BYTES_PAID: u64 = 10_000_000_000;

/// Largest D1 database on the Workers Free plan, in bytes: 500 MB (10^6).
pub const D1_DATABASE_MAX_BYTES_FREE: u64 = 500_000_000;

// ---------------------------------------------------------------------------------------------
// Worker `limits`
// ---------------------------------------------------------------------------------------------

/// Largest `limits.cpu_ms` Cloudflare accepts on the Workers Paid (Standard) plan, in
/// milliseconds of CPU time per invocation: 300,000 ms, which is five minutes.
pub const CPU_MS_MAX: u64 = 300_000;

/// CPU time per invocation, in milliseconds, that a Paid Worker gets when `limits.cpu_ms` is not
/// set: 30 seconds. Raising it is opt-in, up to [`CPU_MS_MAX`].
pub const CPU_MS_DEFAULT_PAID: u64 = 30_000;

/// CPU time per invocation, in milliseconds, on the Workers Free plan. Cloudflare documents
/// `limits` for the Standard (Paid) usage model only; a Free-plan upload that sets them has been
/// reported to fail with API error 100328, which Cloudflare's own pages do not confirm.
pub const CPU_MS_FREE: u64 = 10;

/// Subrequests (outbound `fetch()` calls and calls to other Cloudflare services) allowed per
/// invocation on the Workers Paid plan, as a count. `limits.subrequests` (wrangler 4.62.0 and
/// later) can lower it; whether it can raise it past this figure is not documented.
pub const SUBREQUESTS_PAID: u64 = 10_000;

/// Subrequests allowed per invocation on the Workers Free plan, as a count.
pub const SUBREQUESTS_FREE: u64 = 50;

// ---------------------------------------------------------------------------------------------
// Queues consumers (`queues.consumers[]`) and producers
// ---------------------------------------------------------------------------------------------

/// Largest `max_batch_size`, in messages per batch delivered to a consumer. Default 10.
pub const QUEUE_MAX_BATCH_SIZE: u32 = 100;

/// `max_batch_size` used when the field is absent, in messages.
pub const QUEUE_DEFAULT_BATCH_SIZE: u32 = 10;

/// Largest `max_batch_timeout`, in seconds the queue waits to fill a batch. Default 5.
pub const QUEUE_MAX_BATCH_TIMEOUT_SECS: u32 = 60;

/// `max_batch_timeout` used when the field is absent, in seconds.
pub const QUEUE_DEFAULT_BATCH_TIMEOUT_SECS: u32 = 5;

/// Largest `max_retries`, in delivery retries per message. Default 3.
pub const QUEUE_MAX_RETRIES: u32 = 100;

/// `max_retries` used when the field is absent, in retries.
pub const QUEUE_DEFAULT_RETRIES: u32 = 3;

/// Largest `max_concurrency`, in concurrent consumer invocations of a push-based consumer.
/// Leaving the field unset lets the consumer scale up to this on its own.
pub const QUEUE_MAX_CONCURRENCY: u32 = 250;

/// Largest `retry_delay` on a consumer and `delivery_delay` on a producer, in seconds: 24 hours.
/// Both must be whole numbers of seconds from 0. (Older documentation gave 12 hours.)
pub const QUEUE_MAX_DELAY_SECS: u32 = 86_400;

/// Largest `visibility_timeout_ms` for a pull-based consumer, in milliseconds: 12 hours.
pub const QUEUE_MAX_VISIBILITY_TIMEOUT_MS: u64 = 43_200_000;

// Dead letter queues have no numeric limit. `dead_letter_queue` names another queue; messages
// that still fail after `max_retries` go there, and without one they are deleted. wrangler's
// documentation has said a missing dead letter queue is created on deploy. No documented rule
// forbids naming the consumer's own queue, so nothing here checks for it.

// ---------------------------------------------------------------------------------------------
// Cron Triggers (`triggers.crons`)
// ---------------------------------------------------------------------------------------------

/// Cron Triggers per account on the Workers Paid plan. Cloudflare documents no separate
/// per-Worker figure, so one Worker can use at most this many, fewer if others use some.
pub const CRON_TRIGGERS_PER_ACCOUNT_PAID: usize = 250;

/// Cron Triggers per account on the Workers Free plan.
pub const CRON_TRIGGERS_PER_ACCOUNT_FREE: usize = 5;

// ---------------------------------------------------------------------------------------------
// Worker name (`name`)
// ---------------------------------------------------------------------------------------------

/// Whether `name` fits the Worker (script) name pattern of Cloudflare's API: lowercase ASCII
/// letters, digits, `-` and `_`, not starting with `-`, and not empty.
///
/// Cloudflare's documentation advises against `_` because the name becomes a `workers.dev`
/// hostname label, where underscores do not belong; the API still accepts them.
#[must_use]
pub fn is_valid_worker_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|first| first != b'-' && is_worker_name_byte(first))
        && bytes.all(is_worker_name_byte)
}

fn is_worker_name_byte(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-' || byte == b'_'
}

/// The most bytes a DNS label may hold (RFC 1035). Cloudflare documents no maximum length for
/// Worker names, but a name longer than this cannot be the `<name>.<subdomain>.workers.dev`
/// label, so it only works with `workers_dev = false`. Not a documented Cloudflare limit.
pub const DNS_LABEL_MAX_LEN: usize = 63;

/// Workers per account on the Workers Paid plan.
pub const WORKERS_PER_ACCOUNT_PAID: usize = 500;

/// Workers per account on the Workers Free plan.
pub const WORKERS_PER_ACCOUNT_FREE: usize = 100;

// ---------------------------------------------------------------------------------------------
// Environment variables (`vars`) and secrets
// ---------------------------------------------------------------------------------------------

/// Environment variables per Worker on the Workers Paid plan, counting `vars` and secrets
/// together.
pub const ENV_VARS_PER_WORKER_PAID: usize = 128;

/// Environment variables per Worker on the Workers Free plan, counting `vars` and secrets
/// together.
pub const ENV_VARS_PER_WORKER_FREE: usize = 64;

/// Size of one environment variable, in bytes, if Cloudflare's "5 KB" means 5 × 1,024. A value
/// over this is too large under either reading.
pub const ENV_VAR_MAX_BYTES: usize = 5 * 1024;

/// Size of one environment variable, in bytes, if Cloudflare's "5 KB" means 5 × 1,000. Values
/// between this and [`ENV_VAR_MAX_BYTES`] may or may not be refused.
pub const ENV_VAR_MAX_BYTES_STRICT: usize = 5 * 1000;

// ---------------------------------------------------------------------------------------------
// Routes and Custom Domains
// ---------------------------------------------------------------------------------------------

/// Routes per zone, across all Workers. Cloudflare documents no per-Worker route limit.
pub const ROUTES_PER_ZONE: usize = 1_000;

/// Custom Domains per zone.
pub const CUSTOM_DOMAINS_PER_ZONE: usize = 100;

/// Zones that one Worker's routes may reference.
pub const ROUTED_ZONES_PER_WORKER: usize = 1_000;

// ---------------------------------------------------------------------------------------------
// R2 buckets (`r2_buckets[]`)
// ---------------------------------------------------------------------------------------------

/// Shortest R2 bucket name, in characters.
pub const R2_BUCKET_NAME_MIN_LEN: usize = 3;

/// Longest R2 bucket name, in characters.
pub const R2_BUCKET_NAME_MAX_LEN: usize = 63;

/// Whether `name` is a valid R2 bucket name: 3 to 63 lowercase ASCII letters, digits and `-`,
/// starting and ending with a letter or digit.
#[must_use]
pub fn is_valid_r2_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge_ok =
        |byte: Option<&u8>| byte.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (R2_BUCKET_NAME_MIN_LEN..=R2_BUCKET_NAME_MAX_LEN).contains(&bytes.len())
        && edge_ok(bytes.first())
        && edge_ok(bytes.last())
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// Values R2 accepts for `jurisdiction`: the European Union, FedRAMP-Moderate data centres, and
/// (since 2026-08-17) the United States. Leaving the field out means no jurisdiction, which the
/// API calls `default`. Cloudflare writes them in lowercase; whether a binding accepts other
/// cases is not documented.
pub const R2_JURISDICTIONS: &[&str] = &["eu", "fedramp", "us"];

// ---------------------------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------------------------

// Durable Object `class_name`: Cloudflare documents no character or length rule beyond naming a
// class the Worker (or `script_name`) exports, so nothing is checked here.

// ---------------------------------------------------------------------------------------------
// Compatibility date
// ---------------------------------------------------------------------------------------------

/// Whether the runtime can read `date` as a compatibility date: `YYYY-MM-DD` with a year from
/// 2000 to 2999, a month 1-12 and a day 1-31. The runtime does not check the day against the
/// month (it takes `2022-02-30`), and separately refuses dates after today (UTC).
#[must_use]
pub fn is_runtime_compat_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[0] != b'2' {
        return false;
    }
    let digits = |range: std::ops::Range<usize>| {
        bytes[range.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| date[range].parse::<u32>().ok())?
    };
    matches!(
        (digits(0..4), digits(5..7), digits(8..10)),
        (Some(2000..=2999), Some(1..=12), Some(1..=31))
    )
}

// The limits must be consistent with each other; checked when the crate compiles.
const _: () = {
    assert!(CPU_MS_DEFAULT_PAID < CPU_MS_MAX);
    assert!(QUEUE_DEFAULT_BATCH_SIZE <= QUEUE_MAX_BATCH_SIZE);
    assert!(QUEUE_DEFAULT_BATCH_TIMEOUT_SECS <= QUEUE_MAX_BATCH_TIMEOUT_SECS);
    assert!(QUEUE_DEFAULT_RETRIES <= QUEUE_MAX_RETRIES);
    assert!(ENV_VAR_MAX_BYTES_STRICT < ENV_VAR_MAX_BYTES);
    assert!(ENV_VARS_PER_WORKER_FREE < ENV_VARS_PER_WORKER_PAID);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_names() {
        for ok in ["my-worker", "worker_2", "_internal", "a", "0day", "trailing-"] {
            assert!(is_valid_worker_name(ok), "{ok}");
        }
        for bad in ["", "-lead", "My-Worker", "my.worker", "my worker", "wörker"] {
            assert!(!is_valid_worker_name(bad), "{bad}");
        }
    }

    #[test]
    fn r2_bucket_names() {
        for ok in ["abc", "my-bucket", "0-9", &"a".repeat(63)] {
            assert!(is_valid_r2_bucket_name(ok), "{ok}");
        }
        for bad in ["ab", "-abc", "abc-", "My-Bucket", "my_bucket", "my.bucket", &"a".repeat(64)] {
            assert!(!is_valid_r2_bucket_name(bad), "{bad}");
        }
        assert!(R2_JURISDICTIONS.contains(&"eu"));
        assert!(!R2_JURISDICTIONS.contains(&"EU"));
    }

    #[test]
    fn compat_dates() {
        for ok in ["2024-09-23", "2022-02-30", "2000-01-01", "2999-12-31"] {
            assert!(is_runtime_compat_date(ok), "{ok}");
        }
        for bad in [
            "1999-12-31",
            "3000-01-01",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "2024-1-01",
            "2024/01/01",
            "+024-01-01",
            "2024-01-0a",
        ] {
            assert!(!is_runtime_compat_date(bad), "{bad}");
        }
    }
}
