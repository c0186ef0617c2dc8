//! The records a client had to skip: logged once each, counted once each however often a poll
//! reads them again, and reported to whoever asks (the app's status bar, `check`, `sync`).

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, PoisonError};

use super::lenient::{RecordKind, Records, Skipped};

/// Most skipped records kept for a report (all of them are still counted).
const KEPT: usize = 50;

/// What one client skipped so far.
#[derive(Debug, Default)]
pub struct SkipLedger {
    inner: Mutex<Ledger>,
}

#[derive(Debug, Default)]
struct Ledger {
    seen: HashSet<String>,
    /// Distinct records skipped since the last [`SkipLedger::take_new`].
    new: BTreeMap<RecordKind, usize>,
    total: BTreeMap<RecordKind, usize>,
    kept: Vec<Skipped>,
}

impl SkipLedger {
    /// Notes `records`' skipped entries and hands back the readable ones.
    pub fn keep<T>(&self, records: Records<T>) -> Vec<T> {
        self.note(&records.skipped);
        records.items
    }

    /// Notes skipped records; each distinct one is logged at `warn` and counted once.
    pub fn note(&self, skipped: &[Skipped]) {
        if skipped.is_empty() {
            return;
        }
        let mut ledger = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        for record in skipped {
            if !ledger.seen.insert(record.key()) {
                continue;
            }
            tracing::warn!("{record}");
            *ledger.new.entry(record.kind).or_default() += 1;
            *ledger.total.entry(record.kind).or_default() += 1;
            if ledger.kept.len() < KEPT {
                ledger.kept.push(record.clone());
            }
        }
    }

    /// Distinct records skipped since the last call, by kind.
    pub fn take_new(&self) -> Vec<(RecordKind, usize)> {
        let mut ledger = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        std::mem::take(&mut ledger.new).into_iter().collect()
    }

    /// Every distinct record skipped so far, by kind, and the first few of them.
    pub fn report(&self) -> (Vec<(RecordKind, usize)>, Vec<Skipped>) {
        let ledger = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        (
            ledger.total.iter().map(|(k, n)| (*k, *n)).collect(),
            ledger.kept.clone(),
        )
    }

    /// Lines for a plain-text report (`check`, `sync`): the counts, then each kept record.
    /// Empty when nothing was skipped.
    pub fn report_lines(&self) -> Vec<String> {
        let (counts, kept) = self.report();
        let Some(summary) = describe(&counts) else {
            return Vec::new();
        };
        let mut lines = vec![format!("Skipped: {summary} (the rest were read):")];
        lines.extend(kept.iter().map(|record| format!("  {record}")));
        lines
    }
}

/// "1 conversation and 2 messages could not be read".
pub fn describe(counts: &[(RecordKind, usize)]) -> Option<String> {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| format!("{n} {}", kind.noun(*n)))
        .collect();
    let (last, rest) = parts.split_last()?;
    let joined = if rest.is_empty() {
        last.clone()
    } else {
        format!("{} and {last}", rest.join(", "))
    };
    Some(format!("{joined} could not be read"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::lenient::{Record, records};
    use serde_json::{Value, json};

    #[test]
    fn a_record_read_again_is_counted_and_logged_once() {
        let ledger = SkipLedger::default();
        let list = [json!({"id": "a"}), json!({"no": "id"})];
        let read = |v: &Value| Record::new(v)?.id();
        for _ in 0..3 {
            let kept = ledger.keep(records(&list, RecordKind::Conversation, read));
            assert_eq!(kept, ["a"]);
        }
        assert_eq!(ledger.take_new(), [(RecordKind::Conversation, 1)]);
        assert!(ledger.take_new().is_empty());
        assert_eq!(ledger.report().0, [(RecordKind::Conversation, 1)]);
    }

    #[test]
    fn counts_read_as_a_sentence() {
        assert_eq!(
            describe(&[(RecordKind::Conversation, 1)]).as_deref(),
            Some("1 conversation could not be read")
        );
        assert_eq!(
            describe(&[(RecordKind::Conversation, 2), (RecordKind::Message, 1)]).as_deref(),
            Some("2 conversations and 1 message could not be read")
        );
        assert_eq!(describe(&[]), None);
    }
}
