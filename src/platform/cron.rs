//! Cron Trigger expressions, checked against the grammar Cloudflare's own parser accepts.
//!
//! wrangler uploads `triggers.crons` without looking inside, so a bad expression only fails when
//! Cloudflare's API parses it. That parser is `saffron` (`cloudflare/saffron`), a Quartz-like
//! dialect with exactly five fields. It differs from Vixie cron in ways that catch people out:
//! weekdays run 1-7 with 1 for Sunday (so `0` is refused and `1-5` means Sunday to Thursday),
//! there is no `?`, no seconds or year field, and no `@daily`-style macros. `L`, `W` and `#` are
//! supported, but only in the places listed in `docs/platform-facts.md`.

use std::fmt;
use std::ops::Range;

/// The five fields of a Cron Trigger, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CronField {
    /// Minute of the hour, 0-59.
    Minute,
    /// Hour of the day (UTC), 0-23.
    Hour,
    /// Day of the month, 1-31, or an `L`/`W` form.
    DayOfMonth,
    /// Month, 1-12 or `JAN`-`DEC`.
    Month,
    /// Day of the week, 1-7 with 1 for Sunday, or `SUN`-`SAT`, or an `L`/`#` form.
    DayOfWeek,
}

impl CronField {
    /// The field's name as Cloudflare's documentation writes it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            CronField::Minute => "minute",
            CronField::Hour => "hour",
            CronField::DayOfMonth => "day of month",
            CronField::Month => "month",
            CronField::DayOfWeek => "day of week",
        }
    }

    const ALL: [CronField; 5] = [
        CronField::Minute,
        CronField::Hour,
        CronField::DayOfMonth,
        CronField::Month,
        CronField::DayOfWeek,
    ];
}

/// Why Cloudflare would refuse a cron expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError {
    /// What is wrong, written for the person who wrote the expression.
    pub message: String,
    /// Byte range, within the expression, of the field at fault. When the fault is not in one
    /// field it covers the offending characters (a newline) or the whole expression (the wrong
    /// number of fields).
    pub range: Range<usize>,
    /// The field at fault, when there is one.
    pub field: Option<CronField>,
}

impl fmt::Display for CronError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(f, "{} field: {}", field.name(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CronError {}

/// Checks `expr` against the cron syntax Cloudflare Cron Triggers accept.
///
/// Accepts exactly what Cloudflare's parser accepts, including its quirks: a list may not start
/// with a bare `*` (`*,5` is refused but `5,*` is not), ranges may wrap (`50-10`, `FRI-MON`),
/// step sizes are capped per field (for example at 30 for days of the month), and `L`, `LW`,
/// `L-n`, `nW`, `nL` and `n#k` stand alone in their field. It does not check whether the
/// schedule can ever fire (`0 0 31 2 *` passes).
///
/// # Errors
/// When Cloudflare would refuse the expression; the error names the offending field.
pub fn validate_cron(expr: &str) -> Result<(), CronError> {
    let whole = 0..expr.len();
    if expr.trim().is_empty() {
        return Err(CronError {
            message: "the expression is empty".into(),
            range: whole,
            field: None,
        });
    }
    if expr.trim_start().starts_with('@') {
        return Err(CronError {
            message: "macros such as `@daily` are not supported; write the five fields out, for \
                      example `0 0 * * *`"
                .into(),
            range: whole,
            field: None,
        });
    }
    // Cloudflare's parser reads the first field from the first byte and wants nothing after the
    // last, so padding is an error there even though most cron parsers skip it.
    if expr.starts_with(is_separator) || expr.ends_with(is_separator) {
        return Err(CronError {
            message: "remove the leading or trailing whitespace".into(),
            range: whole,
            field: None,
        });
    }

    // Newlines and other whitespace do not separate fields; they end up inside one and make the
    // whole expression unreadable to the parser.
    if let Some((index, c)) =
        expr.char_indices().find(|&(_, c)| c.is_whitespace() && !is_separator(c))
    {
        return Err(CronError {
            message: format!("{c:?} cannot separate fields; use spaces"),
            range: index..index + c.len_utf8(),
            field: None,
        });
    }

    let fields = split_fields(expr);
    if fields.len() != 5 {
        let extra = if fields.len() > 5 { "; there is no seconds or year field" } else { "" };
        return Err(CronError {
            message: format!(
                "expected 5 fields (minute, hour, day of month, month, day of week) but found \
                 {}{extra}",
                fields.len()
            ),
            range: whole,
            field: None,
        });
    }

    for (field, range) in CronField::ALL.into_iter().zip(fields) {
        let text = &expr[range.clone()];
        let result = match field {
            CronField::Minute | CronField::Hour | CronField::Month => plain_field(text, field),
            CronField::DayOfMonth => day_of_month_field(text),
            CronField::DayOfWeek => day_of_week_field(text),
        };
        result.map_err(|message| CronError { message, range, field: Some(field) })?;
    }
    Ok(())
}

/// Fields are separated by runs of spaces and tabs, the only whitespace the parser knows.
fn is_separator(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn split_fields(expr: &str) -> Vec<Range<usize>> {
    let mut fields = Vec::new();
    let mut start = None;
    for (index, c) in expr.char_indices() {
        match (is_separator(c), start) {
            (true, Some(from)) => {
                fields.push(from..index);
                start = None;
            }
            (false, None) => start = Some(index),
            _ => {}
        }
    }
    if let Some(from) = start {
        fields.push(from..expr.len());
    }
    fields
}

/// The values one field takes.
struct Unit {
    min: u8,
    max: u8,
    /// Three-letter names, the first naming `min`.
    names: &'static [&'static str],
    /// How the allowed values are described in messages.
    describe: &'static str,
}

impl Unit {
    fn of(field: CronField) -> Unit {
        match field {
            CronField::Minute => Unit { min: 0, max: 59, names: &[], describe: "0-59" },
            CronField::Hour => Unit { min: 0, max: 23, names: &[], describe: "0-23" },
            CronField::DayOfMonth => Unit { min: 1, max: 31, names: &[], describe: "1-31" },
            CronField::Month => Unit {
                min: 1,
                max: 12,
                names: &[
                    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                    "DEC",
                ],
                describe: "1-12 or JAN-DEC",
            },
            CronField::DayOfWeek => Unit {
                min: 1,
                max: 7,
                names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
                describe: "1-7 (1 is Sunday) or SUN-SAT",
            },
        }
    }

    /// The parser caps a step at the width of the field and refuses zero; the lower bound comes
    /// out as 1 for every field.
    fn step_range(&self) -> Range<u8> {
        (self.min | 1)..(self.max - self.min + 1)
    }
}

/// A position in one field's text.
struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
    unit: Unit,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str, field: CronField) -> Cursor<'a> {
        Cursor { text: text.as_bytes(), pos: 0, unit: Unit::of(field) }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn at_end(&self) -> bool {
        self.pos == self.text.len()
    }

    /// The rest of the field, for messages.
    fn rest(&self) -> String {
        String::from_utf8_lossy(&self.text[self.pos..]).into_owned()
    }

    /// Fails unless the field is used up; `what` names the form that must stand alone.
    fn end(&self, what: &str) -> Result<(), String> {
        if self.at_end() {
            Ok(())
        } else if self.peek() == Some(b',') && !what.is_empty() {
            Err(format!("{what} cannot be part of a list"))
        } else {
            Err(self.unexpected())
        }
    }

    fn unexpected(&self) -> String {
        match self.peek() {
            None => "the field ends too early".into(),
            Some(b'?') => "`?` is not supported; use `*`".into(),
            Some(b'l' | b'w') => "`L` and `W` must be upper case".into(),
            Some(byte) if byte.is_ascii_alphabetic() && self.pos > 0 => {
                format!("unexpected `{}`; month and weekday names are three letters", self.rest())
            }
            Some(_) => format!("unexpected `{}`", self.rest()),
        }
    }

    /// Digits read as the parser reads them: any count, leading zeros allowed, but the value
    /// must fit in a byte.
    fn number(&mut self) -> Option<Result<u8, String>> {
        let start = self.pos;
        while self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            self.pos += 1;
        }
        if start == self.pos {
            return None;
        }
        let digits = std::str::from_utf8(&self.text[start..self.pos]).unwrap_or_default();
        Some(digits.parse::<u8>().map_err(|_| format!("`{digits}` is out of range")))
    }

    /// One value: a number in range, or one of the field's three-letter names in any case.
    fn value(&mut self) -> Result<u8, String> {
        if let Some(number) = self.number() {
            let number = number?;
            if !(self.unit.min..=self.unit.max).contains(&number) {
                return Err(format!("`{number}` is out of range ({})", self.unit.describe));
            }
            return Ok(number);
        }
        let rest = &self.text[self.pos..];
        for (value, name) in (self.unit.min..).zip(self.unit.names) {
            if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(name.as_bytes()) {
                self.pos += 3;
                return Ok(value);
            }
        }
        match self.peek() {
            None => Err(format!("expected a value ({})", self.unit.describe)),
            Some(b'?' | b'l' | b'w') => Err(self.unexpected()),
            Some(_) => {
                Err(format!("unexpected `{}`; expected {}", self.rest(), self.unit.describe))
            }
        }
    }

    fn step(&mut self) -> Result<(), String> {
        let allowed = self.unit.step_range();
        match self.number() {
            Some(Ok(step)) if allowed.contains(&step) => Ok(()),
            Some(Ok(step)) => Err(format!(
                "step `/{step}` is out of range ({}-{})",
                allowed.start,
                allowed.end - 1
            )),
            Some(Err(message)) => Err(message),
            None => Err("expected a number after `/`".into()),
        }
    }

    /// One list item after the first: a value (or `*`, read as the field's first value),
    /// optionally followed by `/step` or `-end[/step]`.
    fn item(&mut self, star_allowed: bool) -> Result<(), String> {
        if !(star_allowed && self.eat(b'*')) {
            self.value()?;
        }
        self.range_or_step()
    }

    /// What may follow a value: `/step`, `-end`, `-end/step`, or nothing. Ranges may wrap.
    fn range_or_step(&mut self) -> Result<(), String> {
        if self.eat(b'/') {
            self.step()
        } else if self.eat(b'-') {
            self.value()?;
            if self.eat(b'/') { self.step() } else { Ok(()) }
        } else {
            Ok(())
        }
    }

    /// `,item` repeated to the end of the field.
    fn list_tail(&mut self) -> Result<(), String> {
        while self.eat(b',') {
            self.item(true)?;
        }
        self.end("")
    }

    /// A field starting with `*`: alone, or `*/step` optionally followed by a list.
    fn star(&mut self) -> Result<(), String> {
        if self.eat(b'/') {
            self.step()?;
            return self.list_tail();
        }
        if self.at_end() {
            Ok(())
        } else {
            Err("a bare `*` must stand alone; use `*/step` or list the values".into())
        }
    }
}

/// Minute, hour and month: `*`, `*/step`, or a list of values, ranges and steps.
fn plain_field(text: &str, field: CronField) -> Result<(), String> {
    let mut cursor = Cursor::new(text, field);
    if cursor.eat(b'*') {
        return cursor.star();
    }
    cursor.item(false)?;
    cursor.list_tail()
}

/// Day of month: as a plain field, or `L` (last day), `LW` (last weekday), `L-n` (n days before
/// the last, n 1-30), `L-nW`, or `nW` (weekday nearest day n).
fn day_of_month_field(text: &str) -> Result<(), String> {
    let mut cursor = Cursor::new(text, CronField::DayOfMonth);
    if cursor.eat(b'*') {
        return cursor.star();
    }
    if cursor.eat(b'L') {
        if cursor.eat(b'-') {
            match cursor.number() {
                Some(Ok(offset)) if (1..=30).contains(&offset) => {}
                Some(Ok(offset)) => {
                    return Err(format!("`L-{offset}` is out of range (L-1 to L-30)"));
                }
                Some(Err(message)) => return Err(message),
                None => return Err("expected a number after `L-`".into()),
            }
            cursor.eat(b'W');
        } else {
            cursor.eat(b'W');
        }
        return cursor.end("`L`");
    }
    cursor.value()?;
    if cursor.eat(b'W') {
        return cursor.end("`W`");
    }
    cursor.range_or_step()?;
    cursor.list_tail()
}

/// Day of week: as a plain field, or `L` (Saturday), `nL` (last such weekday of the month), or
/// `n#k` (k-th such weekday, k 1-5).
fn day_of_week_field(text: &str) -> Result<(), String> {
    let mut cursor = Cursor::new(text, CronField::DayOfWeek);
    if cursor.eat(b'*') {
        return cursor.star();
    }
    if cursor.eat(b'L') {
        return cursor.end("`L`");
    }
    cursor.value()?;
    if cursor.eat(b'L') {
        return cursor.end("`L`");
    }
    if cursor.eat(b'#') {
        match cursor.number() {
            Some(Ok(nth)) if (1..=5).contains(&nth) => {}
            Some(Ok(nth)) => return Err(format!("`#{nth}` is out of range (#1 to #5)")),
            Some(Err(message)) => return Err(message),
            None => return Err("expected a number after `#`".into()),
        }
        return cursor.end("`#`");
    }
    cursor.range_or_step()?;
    cursor.list_tail()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted() {
        let cases = [
            // Cloudflare's documented examples.
            "* * * * *",
            "*/3 * * * *",
            "*/30 * * * *",
            "45 * * * *",
            "0 15 1 * *",
            "59 23 LW * *",
            "0 17 * * sun",
            "0 17 * * 1",
            "10 7 * * mon-fri",
            "10 7 * * 2-6",
            "0 18 * * 6L",
            "0 18 * * friL",
            // Lists, ranges and steps.
            "0,15,30,45 * * * *",
            "0-30/5,45 */4 * * *",
            "5/15 * * * *",
            "50-10 22-2 * * *",
            "*/5,*/7 * * * *",
            "5,* * * * *",
            "5,*/10 * * * *",
            "5,*-10 * * * *",
            "0 0 1-15/3,20 * *",
            "0 0 * JAN,mar,Dec *",
            "0 0 * jan-JUN/2 *",
            "0 0 * NOV-2 *",
            "0 0 * */11 *",
            "0 0 * * SaT",
            "0 0 * * 7-1",
            "0 0 * * MON-5",
            "0 0 * * */6",
            "0 0 * * 1,2-FRI/2,6-7,3/3",
            "0 0 * * 1,*",
            // `L`, `W` and `#`.
            "0 0 L * *",
            "0 0 L-3 * *",
            "0 0 L-30W * *",
            "0 0 1W * *",
            "0 0 31W * *",
            "0 0 * * L",
            "0 0 * * MON#1",
            "0 0 * * 5#5",
            // Steps up to the field's width.
            "0/59 * * * *",
            "* 0/23 * * *",
            "* * 1/30 * *",
            // Leading zeros and tabs.
            "00 007 01 1 1",
            "0\t0 \t * * *",
            // Day of month and day of week together (either may match).
            "0 0 13 * FRI",
            // Never fires, but parses.
            "0 0 31 2 *",
        ];
        for expr in cases {
            assert_eq!(validate_cron(expr), Ok(()), "{expr:?}");
        }
    }

    #[test]
    fn refused() {
        use CronField::*;
        let cases: [(&str, Option<CronField>); 44] = [
            ("", None),
            ("   ", None),
            ("@daily", None),
            (" * * * * *", None),
            ("* * * * * ", None),
            ("* * * *", None),
            // Seconds and years are not supported.
            ("0 0 0 * * *", None),
            ("0 0 12 * * ? 2030", None),
            ("* * * *\n*", None),
            // `?` is not part of Cloudflare's dialect.
            ("0 0 ? * MON", Some(DayOfMonth)),
            ("0 0 * * ?", Some(DayOfWeek)),
            // Out of range.
            ("60 * * * *", Some(Minute)),
            ("* 24 * * *", Some(Hour)),
            ("* * 0 * *", Some(DayOfMonth)),
            ("* * 32 * *", Some(DayOfMonth)),
            ("* * * 0 *", Some(Month)),
            ("* * * 13 *", Some(Month)),
            ("* * * * 0", Some(DayOfWeek)),
            ("* * * * 8", Some(DayOfWeek)),
            ("* * * * 0-6", Some(DayOfWeek)),
            ("256 * * * *", Some(Minute)),
            // Steps.
            ("*/0 * * * *", Some(Minute)),
            ("0/60 * * * *", Some(Minute)),
            ("* * 1/31 * *", Some(DayOfMonth)),
            ("* * * */12 *", Some(Month)),
            ("* * * * */7", Some(DayOfWeek)),
            ("*/ * * * *", Some(Minute)),
            // A bare `*` must stand alone.
            ("*,5 * * * *", Some(Minute)),
            ("*-5 * * * *", Some(Minute)),
            // Malformed lists.
            ("1, * * * *", Some(Minute)),
            ("1,,2 * * * *", Some(Minute)),
            ("1- * * * *", Some(Minute)),
            // Names: three letters, only in month and day of week.
            ("* * * JANUARY *", Some(Month)),
            ("* * * * MONDAY", Some(DayOfWeek)),
            ("* JAN * * *", Some(Hour)),
            // `L`, `W` and `#` forms.
            ("* * lw * *", Some(DayOfMonth)),
            ("* * L-0 * *", Some(DayOfMonth)),
            ("* * L-31 * *", Some(DayOfMonth)),
            ("* * 3,L * *", Some(DayOfMonth)),
            ("* * 1W,3 * *", Some(DayOfMonth)),
            ("* * * * fril", Some(DayOfWeek)),
            ("* * * * LW", Some(DayOfWeek)),
            ("* * * * MON#6", Some(DayOfWeek)),
            ("* * * * 3L,5", Some(DayOfWeek)),
        ];
        for (expr, field) in cases {
            let error = validate_cron(expr).expect_err(expr);
            assert_eq!(error.field, field, "{expr:?}: {error}");
            assert!(!error.message.is_empty());
        }
    }

    #[test]
    fn ranges_point_at_the_field() {
        let expr = "0  12 32 * *";
        let error = validate_cron(expr).unwrap_err();
        assert_eq!(error.field, Some(CronField::DayOfMonth));
        assert_eq!(&expr[error.range.clone()], "32");
        assert_eq!(error.range, 6..8);

        let expr = "0 0 0 * * *";
        let error = validate_cron(expr).unwrap_err();
        assert_eq!(error.range, 0..expr.len());
        assert!(error.message.contains("seconds"), "{}", error.message);

        let expr = "* * * *\n*";
        let error = validate_cron(expr).unwrap_err();
        assert_eq!((error.range, error.field), (7..8, None));

        let expr = "0 0 * * 0";
        let error = validate_cron(expr).unwrap_err();
        assert_eq!(error.range, 8..9);
        assert!(error.to_string().starts_with("day of week field:"), "{error}");
    }

    #[test]
    fn messages_are_specific() {
        let message = |expr: &str| validate_cron(expr).unwrap_err().message;
        assert!(message("0 0 ? * *").contains('?'));
        assert!(message("* * lw * *").contains("upper case"));
        assert!(message("* * * * 8").contains("1 is Sunday"));
        assert!(message("* * * JANUARY *").contains("three letters"));
        assert!(message("* * 1W,3 * *").contains("list"));
    }
}
