//! Reading provider JSON one record at a time, leniently (STYLE.md lesson L1).
//!
//! Every provider decodes its envelope (the array, `data`, `payload`, `hasMore`, cursors) first,
//! then each record alone through [`records`]: a record that cannot be read is skipped and
//! described in a [`Skipped`], never the page. Inside a record, [`Record`] reads fields so that
//! only the fields the app cannot work without (an id; a message's or turn's time) fail it:
//!
//! - unknown keys are ignored, at any depth;
//! - a field read under several names ([`Record::text_of`]) takes the first name present with a
//!   value, so a record carrying both a key and its legacy name decodes (serde's `alias` rejects
//!   it with "duplicate field");
//! - `null`, an absent key, a value of the wrong type and an empty string all mean "absent";
//! - ids and counts may be numbers or strings, booleans `true`/`false`, `0`/`1` or their strings;
//! - times are RFC 3339 with any offset and any number of fraction digits, naive ISO (UTC), or
//!   Unix seconds (integer or fractional; milliseconds when the number is too large for seconds).

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Map, Value};

use super::model::Timestamp;

/// Longest excerpt of an unreadable record kept for the log (characters).
const EXCERPT_CHARS: usize = 120;
/// Above this a Unix time is taken as milliseconds (seconds would be after the year 5000).
const MAX_UNIX_SECONDS: f64 = 1e11;

/// What kind of record was skipped, for counts and the status bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    Conversation,
    Message,
    Call,
    Turn,
    Contact,
    Session,
    Event,
}

impl RecordKind {
    /// The noun, singular or plural for `count`.
    pub fn noun(self, count: usize) -> &'static str {
        let (one, many) = match self {
            Self::Conversation => ("conversation", "conversations"),
            Self::Message => ("message", "messages"),
            Self::Call => ("call", "calls"),
            Self::Turn => ("transcript turn", "transcript turns"),
            Self::Contact => ("contact", "contacts"),
            Self::Session => ("session", "sessions"),
            Self::Event => ("stream event", "stream events"),
        };
        if count == 1 { one } else { many }
    }
}

/// Why a record could not be read: where in the record, and what was wrong there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// The path inside the record (`.receivedAt`, `.id`, or empty for the record itself).
    pub path: String,
    pub problem: String,
}

impl Unreadable {
    pub fn new(path: &str, problem: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            problem: problem.into(),
        }
    }

    /// The record is not a JSON object.
    pub fn not_an_object(value: &Value) -> Self {
        Self::new(
            "",
            format!("expected an object, found {}", type_name(value)),
        )
    }
}

/// A record that was skipped, described for the log and `switchboard check`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub kind: RecordKind,
    /// The record's `id` when it has a readable one.
    pub id: Option<String>,
    /// Where the problem is, from the list (`[3].receivedAt`).
    pub path: String,
    pub problem: String,
    /// The start of the record, sanitised.
    pub excerpt: String,
}

impl Skipped {
    /// Describes `value`, the record at `index` of its list, which could not be read.
    pub fn new(kind: RecordKind, index: usize, value: &Value, why: Unreadable) -> Self {
        let id = value.get("id").and_then(scalar_text);

        Self {
            kind,
            id,
            path: format!("[{index}]{}", why.path),
            problem: why.problem,
            excerpt: crate::text::excerpt(&value.to_string(), EXCERPT_CHARS),
        }
    }

    /// What identifies this record across reads: its id, or its text when it has none.
    pub fn key(&self) -> String {
        format!(
            "{:?}:{}",
            self.kind,
            self.id.as_deref().unwrap_or(&self.excerpt)
        )
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.id.as_deref().unwrap_or("without a readable id");
        write!(
            f,
            "{} {id} skipped: {} at {} (record starts: {})",
            self.kind.noun(1),
            self.problem,
            self.path,
            self.excerpt
        )
    }
}

/// The records of one list that could be read, and the ones that could not.
#[derive(Clone, Debug, PartialEq)]
pub struct Records<T> {
    pub items: Vec<T>,
    pub skipped: Vec<Skipped>,
}

/// Reads each value of `list` with `read`; a failure skips that record only.
pub fn records<T>(
    list: &[Value],
    kind: RecordKind,
    read: impl Fn(&Value) -> Result<T, Unreadable>,
) -> Records<T> {
    let mut out = Records {
        items: Vec::with_capacity(list.len()),
        skipped: Vec::new(),
    };
    for (index, value) in list.iter().enumerate() {
        match read(value) {
            Ok(item) => out.items.push(item),
            Err(why) => out.skipped.push(Skipped::new(kind, index, value, why)),
        }
    }
    out
}

/// The array under `key` of an envelope; `null` or an absent key is an empty list, anything else
/// that is not an array is an unreadable envelope.
pub fn list_at<'a>(envelope: &'a Value, key: &str) -> Result<&'a [Value], Unreadable> {
    match envelope.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(Unreadable::new(
            &format!(".{key}"),
            format!("expected a list, found {}", type_name(other)),
        )),
    }
}

/// A reply about one item must be about the item asked for: a body carrying another id (a proxy's
/// error object, a cached reply for another path) is unreadable, not that item.
pub fn same_id(asked: &str, got: &str) -> Result<(), Unreadable> {
    if asked == got {
        Ok(())
    } else {
        let got = crate::text::sanitize_line(got);
        Err(Unreadable::new(
            ".id",
            format!("asked for {asked}, the reply is about {got}"),
        ))
    }
}

/// The fields of one JSON object, read leniently.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Record<'a> {
    /// The record, or why it is not one.
    pub fn new(value: &'a Value) -> Result<Self, Unreadable> {
        value
            .as_object()
            .map(|map| Self { map })
            .ok_or_else(|| Unreadable::not_an_object(value))
    }

    /// The object, when `value` is one.
    pub fn of(value: &'a Value) -> Option<Self> {
        value.as_object().map(|map| Self { map })
    }

    /// The raw value of `key`, `None` when absent or null.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// True when the key is there at all (even as null): Anyreach hides fields by leaving them out.
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The required id: a non-empty string or an integer.
    pub fn id(&self) -> Result<String, Unreadable> {
        self.required_text("id")
    }

    /// A required non-empty text (a string, or a number written out).
    pub fn required_text(&self, key: &str) -> Result<String, Unreadable> {
        match self.map.get(key) {
            None | Some(Value::Null) => Err(Unreadable::new(&format!(".{key}"), "missing")),
            Some(value) => scalar_text(value).ok_or_else(|| {
                Unreadable::new(
                    &format!(".{key}"),
                    format!("{} is not usable here", type_name(value)),
                )
            }),
        }
    }

    /// Text: a non-empty string, or a number written out. Anything else is absent.
    pub fn text(&self, key: &str) -> Option<String> {
        self.map.get(key).and_then(scalar_text)
    }

    /// The first of `keys` with a value: the current name first, then older or other names.
    pub fn text_of(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| self.text(key))
    }

    /// A non-negative integer, as a number or a string of digits.
    pub fn uint(&self, key: &str) -> Option<u64> {
        match self.map.get(key)? {
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(to_u64)
            }),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A number (integer or fractional), as a number or a numeric string.
    pub fn float(&self, key: &str) -> Option<f64> {
        match self.map.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok().filter(|f: &f64| f.is_finite()),
            _ => None,
        }
    }

    /// A boolean: `true`/`false`, `1`/`0`, or those as strings.
    pub fn flag(&self, key: &str) -> Option<bool> {
        match self.map.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => match n.as_u64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// A time (see the module doc for the forms); Unix 0 means unset.
    pub fn time(&self, key: &str) -> Option<Timestamp> {
        self.map.get(key).and_then(time_value)
    }

    /// The first of `keys` that holds a readable time.
    pub fn time_of(&self, keys: &[&str]) -> Option<Timestamp> {
        keys.iter().find_map(|key| self.time(key))
    }

    /// A required time.
    pub fn required_time(&self, key: &str) -> Result<Timestamp, Unreadable> {
        match self.map.get(key) {
            None | Some(Value::Null) => Err(Unreadable::new(&format!(".{key}"), "missing")),
            Some(value) => time_value(value).ok_or_else(|| {
                let shown = crate::text::sanitize_line(&value.to_string());
                Unreadable::new(&format!(".{key}"), format!("not a time: {shown}"))
            }),
        }
    }

    /// A nested object.
    pub fn object(&self, key: &str) -> Option<Record<'a>> {
        self.map.get(key).and_then(Record::of)
    }

    /// A nested object as a JSON map (free-form metadata), `None` when absent or not an object.
    pub fn map(&self, key: &str) -> Option<&'a Map<String, Value>> {
        self.map.get(key).and_then(Value::as_object)
    }

    /// A nested list; absent, null or not a list is empty.
    pub fn list(&self, key: &str) -> &'a [Value] {
        self.map
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The strings of a nested list (other entries skipped).
    pub fn strings(&self, key: &str) -> Vec<String> {
        self.list(key).iter().filter_map(scalar_text).collect()
    }
}

/// A string (non-empty) or a number, as text.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A time from a string or a Unix number; Unix 0 (Chatwoot's "unset") is absent.
fn time_value(value: &Value) -> Option<Timestamp> {
    match value {
        Value::String(s) => parse_time(s).or_else(|| {
            let number: f64 = s.trim().parse().ok()?;
            unix(number)
        }),
        Value::Number(n) => unix(n.as_f64()?),
        _ => None,
    }
}

/// Unix seconds (or milliseconds when larger than any plausible seconds); 0 and below is unset.
pub fn unix(number: f64) -> Option<Timestamp> {
    if !number.is_finite() || number <= 0.0 {
        return None;
    }
    let seconds = if number > MAX_UNIX_SECONDS {
        number / 1000.0
    } else {
        number
    };
    #[allow(clippy::cast_possible_truncation)] // microseconds of a plausible date fit an i64
    let micros = (seconds * 1_000_000.0).round() as i64;
    DateTime::from_timestamp_micros(micros)
}

/// Parses RFC 3339 (any offset, any fraction) or a naive ISO timestamp taken as UTC.
pub fn parse_time(raw: &str) -> Option<Timestamp> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(raw, fmt).ok())
        .map(|naive| naive.and_utc())
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a whole, non-negative f64
fn to_u64(f: f64) -> u64 {
    f as u64
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_unreadable_record_is_skipped_and_described() {
        let list = [json!({"id": "a"}), json!({"id": {"x": 1}}), json!(7)];
        let read = |v: &Value| Record::new(v)?.id();
        let got = records(&list, RecordKind::Conversation, read);
        assert_eq!(got.items, ["a"]);
        assert_eq!(got.skipped.len(), 2);
        assert_eq!(got.skipped[0].path, "[1].id");
        assert_eq!(got.skipped[0].problem, "an object is not usable here");
        assert_eq!(got.skipped[1].path, "[2]");
        assert!(got.skipped[1].to_string().contains("without a readable id"));
    }

    #[test]
    fn times_in_every_form_are_the_same_instant() {
        let want = parse_time("2025-01-15T12:00:00Z").unwrap();
        for raw in [
            json!("2025-01-15T12:00:00Z"),
            json!("2025-01-15T12:00:00.000Z"),
            json!("2025-01-15T12:00:00.000000+00:00"),
            json!("2025-01-15T14:00:00.000000000+02:00"),
            json!("2025-01-15T12:00:00"),
            json!("2025-01-15 12:00:00"),
            json!(1_736_942_400),
            json!(1_736_942_400.0),
            json!(1_736_942_400_000_i64),
            json!("1736942400"),
        ] {
            assert_eq!(time_value(&raw), Some(want), "{raw}");
        }
        assert_eq!(time_value(&json!(0)), None);
        assert_eq!(time_value(&json!("yesterday")), None);
    }

    #[test]
    fn fields_fall_back_instead_of_failing() {
        let value = json!({"a": "", "b": 5, "c": "7", "t": 1, "f": "0", "o": [1], "n": null});
        let r = Record::new(&value).unwrap();
        assert_eq!(r.text("a"), None);
        assert_eq!(r.text("b").as_deref(), Some("5"));
        assert_eq!(r.uint("c"), Some(7));
        assert_eq!(r.flag("t"), Some(true));
        assert_eq!(r.flag("f"), Some(false));
        assert_eq!(r.text("o"), None);
        assert_eq!(r.text_of(&["n", "a", "b"]).as_deref(), Some("5"));
        assert!(r.list("b").is_empty());
        assert!(r.required_text("a").is_err());
    }

    #[test]
    fn an_envelope_list_must_be_a_list() {
        assert!(list_at(&json!({"data": null}), "data").unwrap().is_empty());
        assert!(list_at(&json!({}), "data").unwrap().is_empty());
        assert!(list_at(&json!({"data": "oops"}), "data").is_err());
    }
}
