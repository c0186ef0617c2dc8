//! Odd records: the tolerance rules of STYLE.md lesson L1, applied to JSON the way servers we did
//! not write send it. Used by the sandbox's `odd_records` knob (every reply mutated, a few records
//! made unreadable on purpose) and by the mutation property tests of the decoders.
//!
//! Each rule keeps the meaning of a record, so a tolerant client decodes the mutated record to the
//! same domain value: unknown keys (at every depth), a key's older name beside it with another
//! value (the current name must win), numbers as strings and digit strings as numbers, booleans
//! as `0`/`1`, and the same instant written with another offset and number of fraction digits.
//! Free-form objects (metadata, custom attributes) are passed over: their content is data.

use chrono::{FixedOffset, SecondsFormat, Timelike};
use serde_json::{Map, Value};

use crate::api::lenient::parse_time;
use crate::rng::Rng;

/// Keys whose values are free-form customer data, never mutated.
const OPAQUE: [&str; 6] = [
    "metadata",
    "custom_attributes",
    "custom_metadata",
    "additional_attributes",
    "initial_context",
    "arguments",
];

/// Current key name → an older or other name some servers send beside it.
pub const LEGACY_NAMES: [(&str, &str); 7] = [
    ("participant", "contactNumber"),
    ("fromNumber", "from"),
    ("toNumber", "to"),
    ("reactionType", "reaction_type"),
    ("available_name", "name"),
    ("last_activity_at", "timestamp"),
    ("conversation_id", "conversationId"),
];

/// Which rules to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // independent rules, combined freely
pub struct Rules {
    pub unknown_keys: bool,
    pub legacy_names: bool,
    pub number_strings: bool,
    pub boolean_numbers: bool,
    pub time_formats: bool,
}

impl Rules {
    /// Every rule at once.
    pub const ALL: Self = Self {
        unknown_keys: true,
        legacy_names: true,
        number_strings: true,
        boolean_numbers: true,
        time_formats: true,
    };

    /// The rules picked by the low five bits of `bits`.
    pub fn from_bits(bits: u8) -> Self {
        Self {
            unknown_keys: bits & 1 != 0,
            legacy_names: bits & 2 != 0,
            number_strings: bits & 4 != 0,
            boolean_numbers: bits & 8 != 0,
            time_formats: bits & 16 != 0,
        }
    }
}

/// Applies `rules` to `value` and everything inside it; `rng` picks the variants.
pub fn mutate(value: &mut Value, rules: Rules, rng: &mut Rng) {
    match value {
        Value::Object(map) => mutate_object(map, rules, rng),
        Value::Array(items) => items.iter_mut().for_each(|v| mutate(v, rules, rng)),
        _ => {}
    }
}

fn mutate_object(map: &mut Map<String, Value>, rules: Rules, rng: &mut Rng) {
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in &keys {
        if OPAQUE.contains(&key.as_str()) {
            continue;
        }
        let Some(field) = map.get_mut(key) else {
            continue;
        };
        match field {
            Value::Object(_) | Value::Array(_) => mutate(field, rules, rng),
            _ => *field = mutate_scalar(key, field.clone(), rules, rng),
        }
    }
    if rules.legacy_names {
        add_legacy_names(map);
    }
    if rules.unknown_keys {
        let n = rng.below(1_000);
        map.insert(
            format!("x_added_later_{n}"),
            serde_json::json!({"nested": {"deeper": [n, "text", null]}, "flag": true}),
        );
    }
}

fn mutate_scalar(key: &str, value: Value, rules: Rules, rng: &mut Rng) -> Value {
    match value {
        // Unix seconds written as the same instant in RFC 3339 (Chatwoot sends both forms).
        Value::Number(n) if rules.time_formats && is_time_key(key) => n
            .as_i64()
            .filter(|s| *s > 0)
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map_or(Value::Number(n), |t| {
                Value::String(reformat_time(&t.to_rfc3339(), rng).unwrap_or_default())
            }),
        Value::Bool(b) if rules.boolean_numbers => Value::from(u8::from(b)),
        Value::Number(n) if rules.number_strings => Value::String(n.to_string()),
        Value::String(s) if rules.time_formats && is_time_key(key) => {
            Value::String(reformat_time(&s, rng).unwrap_or(s))
        }
        Value::String(s) if rules.number_strings && is_id_key(key) && is_digits(&s) => {
            s.parse::<u64>().map_or(Value::String(s), Value::from)
        }
        other => other,
    }
}

/// Beside each current name, its older name with another value: a client must read the current.
fn add_legacy_names(map: &mut Map<String, Value>) {
    for (current, legacy) in LEGACY_NAMES {
        if map.contains_key(legacy) {
            continue;
        }
        let other = match map.get(current) {
            Some(Value::String(s)) if parse_time(s).is_some() => {
                Value::String("2001-01-01T00:00:00Z".into())
            }
            Some(Value::String(s)) => Value::String(format!("{s}-legacy")),
            Some(Value::Number(_)) => Value::from(1_u64),
            _ => continue,
        };
        map.insert(legacy.to_owned(), other);
    }
}

fn is_time_key(key: &str) -> bool {
    key.ends_with("At") || key.ends_with("_at") || key.ends_with("_until") || key == "timestamp"
}

fn is_id_key(key: &str) -> bool {
    key == "id" || key.ends_with("_id")
}

/// Digits that read back as the same text (no leading zero: `007` as a number would be `7`).
fn is_digits(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 16
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'))
}

/// The same instant with another offset and as many fraction digits as it needs, or more.
pub fn reformat_time(raw: &str, rng: &mut Rng) -> Option<String> {
    let at = parse_time(raw)?;
    let nanos = at.nanosecond();
    let least = if nanos == 0 {
        0
    } else if nanos % 1_000_000 == 0 {
        1
    } else if nanos % 1_000 == 0 {
        2
    } else {
        3
    };
    let digits = [
        SecondsFormat::Secs,
        SecondsFormat::Millis,
        SecondsFormat::Micros,
        SecondsFormat::Nanos,
    ];
    let pick = least + rng.index(4 - least);
    let offsets = [0, 2 * 3600, -5 * 3600 - 1800, 9 * 3600];
    let offset = FixedOffset::east_opt(offsets[rng.index(offsets.len())])?;
    let zulu = offset.local_minus_utc() == 0 && rng.chance(500);
    Some(
        at.with_timezone(&offset)
            .to_rfc3339_opts(digits[pick], zulu),
    )
}

/// Makes records whose id is in `ids` unreadable: a message loses its time, anything else its
/// id. Returns how many were broken.
pub fn break_records(value: &mut Value, ids: &[String]) -> usize {
    match value {
        Value::Array(items) => items.iter_mut().map(|v| break_records(v, ids)).sum(),
        Value::Object(map) => {
            let own = map
                .get("id")
                .and_then(|id| {
                    id.as_str()
                        .map(str::to_owned)
                        .or_else(|| Some(id.to_string()))
                })
                .filter(|id| ids.contains(id));
            let mut broken = usize::from(own.is_some());
            if let Some(id) = own {
                let time = ["receivedAt", "created_at"]
                    .into_iter()
                    .find(|k| map.contains_key(*k) && map.contains_key("id"));
                match time {
                    Some(key) if map.contains_key("body") || map.contains_key("content") => {
                        map.remove(key);
                    }
                    _ => {
                        map.insert("id".into(), serde_json::json!({ "was": id }));
                    }
                }
            }
            for (key, inner) in map.iter_mut() {
                if !OPAQUE.contains(&key.as_str()) {
                    broken += break_records(inner, ids);
                }
            }
            broken
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reformatted_times_are_the_same_instant() {
        let mut rng = Rng::seeded(3);
        for raw in [
            "2025-01-15T12:00:00Z",
            "2025-01-15T12:00:00.123Z",
            "2025-01-15T12:00:00.123456Z",
            "2025-01-15T12:00:00.123456789+02:00",
        ] {
            for _ in 0..20 {
                let other = reformat_time(raw, &mut rng).unwrap();
                assert_eq!(parse_time(&other), parse_time(raw), "{raw} → {other}");
            }
        }
    }

    #[test]
    fn free_form_data_is_left_alone() {
        let mut value = json!({"id": "c1", "metadata": {"vip": true, "n": 3}});
        mutate(&mut value, Rules::ALL, &mut Rng::seeded(1));
        assert_eq!(value["metadata"], json!({"vip": true, "n": 3}));
        assert!(
            value.as_object().unwrap().len() > 2,
            "an unknown key was added"
        );
    }

    #[test]
    fn broken_records_lose_what_a_client_needs() {
        let mut value = json!({"data": [
            {"id": "c1", "participant": "+1"},
            {"id": "m1", "body": "x", "receivedAt": "2025-01-15T12:00:00Z"},
            {"id": "c2"}
        ]});
        let ids = ["c1".to_owned(), "m1".to_owned()];
        assert_eq!(break_records(&mut value, &ids), 2);
        assert_eq!(value["data"][0]["id"], json!({"was": "c1"}));
        assert!(value["data"][1].get("receivedAt").is_none());
        assert_eq!(value["data"][2]["id"], "c2");
    }
}
