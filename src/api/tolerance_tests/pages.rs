//! Whole pages of every provider, mutated the way other servers send them ([`mutate`]) with one
//! record garbled: decoding never panics, every other record reads as it does alone, in order,
//! and a record that lost what it cannot do without (or is not an object) is the one skipped.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::{
    ap_call, ap_contact, ap_conversation, ap_message, ap_turn, ar_session, cw_conversation,
    cw_message, cw_public, paths, shown,
};
use crate::api::lenient::{RecordKind, Records, Unreadable, records};
use crate::api::{agentphone, anyreach, chatwoot};
use crate::rng::Rng;
use crate::sandbox::mutate::{Rules, break_records, mutate};

/// The readable records of a page as `Debug` text, and how many were skipped; `None` when the
/// reply itself (its envelope) could not be read.
type Read = fn(&Value) -> Option<(Vec<String>, usize)>;

/// One kind of page: its `i`-th record (own id and time), the reply around a list of records,
/// where the records sit in it, how the client reads it, and the keys a record cannot lack.
struct PageCase {
    name: &'static str,
    record: fn(usize) -> Value,
    reply: fn(Vec<Value>) -> Value,
    at: &'static [&'static str],
    read: Read,
    required: &'static [&'static str],
}

fn texts<T: std::fmt::Debug>(read: &Records<T>) -> (Vec<String>, usize) {
    let items = read.items.iter().map(|item| format!("{item:?}")).collect();
    (items, read.skipped.len())
}

/// `base` with its id and its time set for record `i` (seconds apart, in order).
fn numbered(mut base: Value, i: usize, id: Value, time_key: &str) -> Value {
    base["id"] = id;
    if !time_key.is_empty() {
        let at = 1_736_942_400 + i64::try_from(i).unwrap_or(0);
        base[time_key] = if base[time_key].is_number() {
            json!(at)
        } else {
            json!(
                chrono::DateTime::from_timestamp(at, 0)
                    .unwrap_or_default()
                    .to_rfc3339()
            )
        };
    }
    base
}

fn ap_envelope(records: Vec<Value>) -> Value {
    json!({"data": Value::Array(records), "hasMore": true, "total": 500})
}

/// An AgentPhone list as the client reads it: the envelope, then each record alone.
fn ap_list(
    v: &Value,
    kind: RecordKind,
    read: fn(&Value) -> Result<String, Unreadable>,
) -> Option<(Vec<String>, usize)> {
    let list = agentphone::wire::envelope(v).ok()?;
    Some(texts(&records(list.data, kind, read)))
}

fn agentphone_cases() -> Vec<PageCase> {
    vec![
        PageCase {
            name: "agentphone messages",
            record: |i| numbered(ap_message(), i, json!(format!("msg_{i}")), "receivedAt"),
            reply: ap_envelope,
            at: &["data"],
            read: |v| {
                ap_list(v, RecordKind::Message, |r| {
                    shown(agentphone::wire::message(r))
                })
            },
            required: &["id", "receivedAt"],
        },
        PageCase {
            name: "agentphone conversations",
            record: |i| {
                numbered(
                    ap_conversation(),
                    i,
                    json!(format!("conv_{i}")),
                    "lastMessageAt",
                )
            },
            reply: ap_envelope,
            at: &["data"],
            read: |v| {
                ap_list(v, RecordKind::Conversation, |r| {
                    shown(agentphone::wire::conversation(r))
                })
            },
            required: &["id"],
        },
        PageCase {
            name: "agentphone calls",
            record: |i| numbered(ap_call(), i, json!(format!("call_{i}")), "startedAt"),
            reply: ap_envelope,
            at: &["data"],
            read: |v| {
                ap_list(v, RecordKind::Call, |r| {
                    shown(agentphone::wire::call_summary(r))
                })
            },
            required: &["id"],
        },
        PageCase {
            name: "agentphone contacts",
            record: |i| numbered(ap_contact(), i, json!(format!("ct_{i}")), ""),
            reply: ap_envelope,
            at: &["data"],
            read: |v| {
                ap_list(v, RecordKind::Contact, |r| {
                    shown(agentphone::wire::contact(r))
                })
            },
            required: &["id"],
        },
    ]
}

/// AgentPhone records inside another: a conversation's messages, a call's transcript rows.
fn agentphone_embedded_cases() -> Vec<PageCase> {
    vec![
        PageCase {
            name: "agentphone conversation detail",
            record: |i| numbered(ap_message(), i, json!(format!("msg_{i}")), "receivedAt"),
            reply: |records| {
                let mut detail = ap_conversation();
                detail["messages"] = Value::Array(records);
                detail
            },
            at: &["messages"],
            read: |v| {
                agentphone::wire::detail(v)
                    .ok()
                    .map(|(_, read)| texts(&read))
            },
            required: &["id", "receivedAt"],
        },
        PageCase {
            name: "agentphone call transcript",
            record: |i| numbered(ap_turn(), i, json!(format!("t_{i}")), "createdAt"),
            reply: |records| {
                let mut call = ap_call();
                call["transcripts"] = Value::Array(records);
                call
            },
            at: &["transcripts"],
            read: |v| agentphone::wire::call(v).ok().map(|(_, read)| texts(&read)),
            required: &[],
        },
    ]
}

fn other_cases() -> Vec<PageCase> {
    vec![
        PageCase {
            name: "anyreach sessions",
            record: |i| numbered(ar_session(), i, json!(format!("s_{i}")), "created_at"),
            reply: Value::Array,
            at: &[],
            read: |v| {
                let rows = anyreach::wire::rows(v)?;
                Some(texts(&records(
                    rows,
                    RecordKind::Session,
                    anyreach::wire::session,
                )))
            },
            required: &["id"],
        },
        PageCase {
            name: "anyreach transcript",
            record: |i| {
                numbered(
                    json!({"type": "message", "role": "user", "content": ["Hi"], "created_at": 0}),
                    i,
                    json!(format!("i_{i}")),
                    "created_at",
                )
            },
            reply: |records| {
                let mut session = ar_session();
                session["conversation"]["items"] = Value::Array(records);
                session
            },
            at: &["conversation", "items"],
            read: |v| {
                let (detail, skipped) = anyreach::wire::detail(v).ok()?;
                let items = detail.messages.iter().map(|m| format!("{m:?}")).collect();
                Some((items, skipped.len()))
            },
            required: &[],
        },
        PageCase {
            name: "chatwoot conversations",
            record: |i| numbered(cw_conversation(), i, json!(42 + i), "last_activity_at"),
            reply: |records| json!({"data": {"meta": {"all_count": 9}, "payload": records}}),
            at: &["data", "payload"],
            read: |v| {
                let rows = chatwoot::wire::payload(v)?;
                Some(texts(&records(
                    rows,
                    RecordKind::Conversation,
                    chatwoot::wire::conversation,
                )))
            },
            required: &["id"],
        },
        PageCase {
            name: "chatwoot messages",
            record: |i| numbered(cw_message(), i, json!(900 + i), "created_at"),
            reply: |records| json!({"meta": {}, "payload": records}),
            at: &["payload"],
            read: |v| Some(texts(&chatwoot::wire::messages(v))),
            required: &["id", "created_at"],
        },
        PageCase {
            name: "chatwoot public conversations",
            record: |i| numbered(cw_public(), i, json!(42 + i), ""),
            reply: Value::Array,
            at: &[],
            read: |v| {
                let list = v.as_array()?;
                let read = records(list, RecordKind::Conversation, |r| {
                    shown(chatwoot::wire::public_conversation(r))
                });
                Some((read.items, read.skipped.len()))
            },
            required: &["id"],
        },
    ]
}

/// The records of `reply`, wherever the case keeps them.
fn records_in<'a>(reply: &'a mut Value, at: &[&str]) -> Option<&'a mut Vec<Value>> {
    let mut here = reply;
    for key in at {
        here = here.get_mut(*key)?;
    }
    here.as_array_mut()
}

/// Junk for a field: wrong types, odd numbers, control characters, deep nesting.
fn junk(rng: &mut Rng) -> Value {
    let choices = [
        json!(null),
        json!([]),
        json!({}),
        json!(true),
        json!("???"),
        json!("\u{1b}[2J\u{0}"),
        json!(-1.5),
        json!(1e308),
        json!(u64::MAX),
        json!({"a": [[[{"b": null}]]]}),
    ];
    rng.pick(&choices).clone()
}

/// Garbles `record` one of several ways; true when the record surely cannot be read any more
/// (it is not an object, or lost a key it cannot do without).
fn garble(record: &mut Value, required: &[&str], rng: &mut Rng) -> bool {
    match rng.index(4) {
        0 => {
            *record = rng
                .pick(&[
                    json!(null),
                    json!(7),
                    json!("text"),
                    json!([1, 2]),
                    json!(false),
                ])
                .clone();
            true
        }
        1 if !required.is_empty() => {
            let key = *rng.pick(required);
            let wrong = rng
                .pick(&[json!({}), json!([1]), json!(true), json!(null)])
                .clone();
            record[key] = wrong;
            true
        }
        2 if !required.is_empty() => {
            let id = record["id"]
                .as_str()
                .map_or_else(|| record["id"].to_string(), str::to_owned);
            break_records(record, &[id]) > 0
        }
        _ => {
            let mut all = Vec::new();
            paths(record, &mut Vec::new(), &mut all);
            let path = rng.pick(&all).clone();
            if let Some((map, key)) = super::parent(record, &path) {
                map.insert(key.to_owned(), junk(rng));
            }
            false
        }
    }
}

fn check(case: &PageCase, size: usize, bits: u8, seed: u64) -> Result<(), TestCaseError> {
    let mut rng = Rng::seeded(seed);
    let clean: Vec<Value> = (0..size).map(case.record).collect();
    let alone: Vec<String> = clean
        .iter()
        .map(|r| {
            (case.read)(&(case.reply)(vec![r.clone()]))
                .expect("one clean record")
                .0
        })
        .map(|mut one| one.pop().expect("the record reads"))
        .collect();
    let mut reply = (case.reply)(clean);
    mutate(&mut reply, Rules::from_bits(bits), &mut rng);
    let bad = rng.index(size);
    let list = records_in(&mut reply, case.at).expect("the records are where the case says");
    let surely = garble(&mut list[bad], case.required, &mut rng);
    let Some((items, skipped)) = (case.read)(&reply) else {
        return Err(TestCaseError::fail(format!(
            "{}: the page was lost: {reply}",
            case.name
        )));
    };
    let mut others = alone.clone();
    others.remove(bad);
    prop_assert_eq!(
        items.len() + skipped,
        size,
        "{}: every record read or skipped",
        case.name
    );
    if surely {
        prop_assert_eq!(skipped, 1, "{}: the garbled record is skipped", case.name);
        prop_assert_eq!(&items, &others, "{}: the others read as alone", case.name);
    } else {
        // The garbled record may still read (junk in a field it can do without); the others
        // read as they do alone, in order, whatever it became.
        let mut rest = items.iter();
        for want in &others {
            prop_assert!(rest.any(|got| got == want), "{}: lost {want}", case.name);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Every page kind of every provider, any mix of the mutation rules, one record garbled.
    #[test]
    fn one_garbled_record_costs_only_itself(
        size in 1usize..8,
        bits in 0u8..32,
        seed in any::<u64>(),
    ) {
        for case in agentphone_cases()
            .iter()
            .chain(&agentphone_embedded_cases())
            .chain(&other_cases())
        {
            check(case, size, bits, seed)?;
        }
    }
}
