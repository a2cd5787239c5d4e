//! Deterministic ids and times: the same state file always gives the same ids and timestamps,
//! so tests can assert on them and two runs can be compared.

/// The account every state gets unless it names its own.
pub const DEFAULT_ACCOUNT_ID: &str = "0123456789abcdef0123456789abcdef";

/// The API token every state gets unless it lists its own.
pub const DEFAULT_TOKEN: &str = "local-api-token-0123456789";

/// Where the logical clock starts: 2026-01-01T00:00:00Z.
const CLOCK_START: u64 = 1_767_225_600;

/// 32 lower-case hex digits derived from `seed`, the shape of most Cloudflare ids.
pub fn hex32(seed: &str) -> String {
    let (high, low) = hash128(seed);
    format!("{high:016x}{low:016x}")
}

/// A version-4-shaped UUID derived from `seed`, the shape of D1, version and deployment ids.
pub fn uuid(seed: &str) -> String {
    let hex = hex32(seed);
    format!("{}-{}-4{}-8{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

fn hash128(seed: &str) -> (u64, u64) {
    // Two FNV-1a passes with different offsets: stable across platforms and releases.
    let fnv = |offset: u64| {
        seed.bytes()
            .fold(offset, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
    };
    // FNV alone leaves similar seeds with similar hashes; a final mix spreads every bit.
    let mix = |mut x: u64| {
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    };
    (mix(fnv(0xcbf2_9ce4_8422_2325)), mix(fnv(0x8422_2325_cbf2_9ce4)))
}

/// A clock that moves one minute per event, so every created object gets a distinct, ordered,
/// reproducible time.
#[derive(Debug, Clone)]
pub struct Clock {
    seconds: u64,
}

impl Default for Clock {
    fn default() -> Self {
        Clock { seconds: CLOCK_START }
    }
}

impl Clock {
    /// Advances the clock and returns the new time as the API writes it.
    pub fn tick(&mut self) -> String {
        self.seconds += 60;
        timestamp(self.seconds)
    }

    /// The current time as `YYYY-MM-DD HH:MM:SS`, the way SQLite's `CURRENT_TIMESTAMP` reads.
    pub fn sqlite_now(&self) -> String {
        timestamp(self.seconds).replace('T', " ")[..19].to_owned()
    }
}

/// Seconds since 1970 as `YYYY-MM-DDTHH:MM:SS.000000Z`.
pub fn timestamp(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000000Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to a calendar date (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_shaped() {
        assert_eq!(hex32("kv:CACHE"), hex32("kv:CACHE"));
        assert_ne!(hex32("kv:CACHE"), hex32("kv:SESSIONS"));
        // Seeds one character apart share no long run of digits.
        assert_ne!(hex32("version:a:1")[..8], hex32("version:a:2")[..8]);
        assert_eq!(hex32("x").len(), 32);
        let id = uuid("d1:main");
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_eq!(&id[19..20], "8");
    }

    #[test]
    fn the_clock_starts_in_2026_and_counts_minutes() {
        let mut clock = Clock::default();
        assert_eq!(clock.tick(), "2026-01-01T00:01:00.000000Z");
        assert_eq!(clock.sqlite_now(), "2026-01-01 00:01:00");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00.000000Z");
    }
}
