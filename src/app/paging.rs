//! Request ids, load states and the ordered merge of message pages.
//!
//! Every request carries a [`RequestId`]; the state remembers the id it is waiting for, and a
//! reply with any other id is stale and dropped. A failed load keeps its cursor so a retry resumes
//! from the same place, and never clears what is shown.

use std::collections::HashSet;

use crate::api::{Message, MessageId};

/// Identifies one request; replies that do not match what the state waits for are dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// The fetch status of one list, page or save.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Load {
    #[default]
    Idle,
    Loading(RequestId),
    /// The last attempt failed; the text is for the pane.
    Failed(String),
}

impl Load {
    pub fn is_loading(&self) -> bool {
        matches!(self, Self::Loading(_))
    }

    /// True when `request` is the one this load waits for.
    pub fn awaits(&self, request: RequestId) -> bool {
        *self == Self::Loading(request)
    }
}

/// What a merge changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Ids that were not in the thread before, in thread order.
    pub added: Vec<MessageId>,
    /// Known messages whose content changed (delivery status, reactions).
    pub updated: Vec<MessageId>,
}

#[allow(clippy::implicit_hasher)] // one id set type across the app; no other hasher is used
/// Merges `incoming` into `thread` (kept in `order_key` order, each id once). Known ids are
/// replaced by the newer copy; new ones are inserted in order. Linear in the thread length at
/// worst, and cheap for the usual cases (a page before the start, messages after the end).
pub fn merge_messages(
    thread: &mut Vec<Message>,
    ids: &mut HashSet<MessageId>,
    incoming: Vec<Message>,
) -> Merged {
    let mut merged = Merged::default();
    let mut fresh = Vec::new();
    for message in incoming {
        if ids.contains(&message.id) {
            let id = message.id.clone();
            if replace_known(thread, message) {
                merged.updated.push(id);
            }
        } else {
            ids.insert(message.id.clone());
            fresh.push(message);
        }
    }
    if fresh.is_empty() {
        return merged;
    }
    fresh.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    fresh.dedup_by(|a, b| a.id == b.id);
    merged.added = fresh.iter().map(|m| m.id.clone()).collect();
    let before_start = thread
        .first()
        .is_none_or(|first| fresh[fresh.len() - 1].order_key() <= first.order_key());
    let after_end = thread
        .last()
        .is_none_or(|last| fresh[0].order_key() >= last.order_key());
    if after_end {
        thread.extend(fresh);
    } else if before_start {
        thread.splice(0..0, fresh);
    } else {
        let old = std::mem::take(thread);
        *thread = merge_sorted(old, fresh);
    }
    merged
}

/// Replaces the stored copy of a known message; true when it changed. A copy with another time
/// (our provisional copy of a sent message, then the server's) moves to its place in order.
fn replace_known(thread: &mut Vec<Message>, message: Message) -> bool {
    let found = thread
        .binary_search_by(|m| m.order_key().cmp(&message.order_key()))
        .ok()
        .or_else(|| thread.iter().position(|m| m.id == message.id));
    let Some(i) = found else { return false };
    if thread[i] == message {
        return false;
    }
    if thread[i].sent_at == message.sent_at {
        thread[i] = message;
    } else {
        thread.remove(i);
        let at = thread.partition_point(|m| m.order_key() < message.order_key());
        thread.insert(at, message);
    }
    true
}

fn merge_sorted(a: Vec<Message>, b: Vec<Message>) -> Vec<Message> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut a = a.into_iter().peekable();
    let mut b = b.into_iter().peekable();
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.order_key() <= y.order_key(),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
    out
}

/// The index of a message in a thread by its order key (binary search).
pub fn position(thread: &[Message], at: crate::api::Timestamp, id: &MessageId) -> Option<usize> {
    thread
        .binary_search_by(|m| m.order_key().cmp(&(at, id.as_str())))
        .ok()
}

#[cfg(test)]
pub(crate) mod props;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Direction;
    use chrono::{TimeZone, Utc};

    pub fn msg(id: &str, secs: i64) -> Message {
        Message {
            id: MessageId(id.into()),
            direction: Direction::Inbound,
            channel: None,
            body: id.into(),
            from: None,
            to: None,
            sender: None,
            media: Vec::new(),
            reactions: Vec::new(),
            reply_to: None,
            delivery: None,
            sent_at: Utc.timestamp_opt(secs, 0).unwrap(),
            private: false,
            turn: None,
        }
    }

    fn ids(thread: &[Message]) -> Vec<&str> {
        thread.iter().map(|m| m.id.as_str()).collect()
    }

    #[test]
    fn pages_before_and_after_are_placed_in_order_once() {
        let mut thread = Vec::new();
        let mut seen = HashSet::new();
        merge_messages(&mut thread, &mut seen, vec![msg("c", 30), msg("d", 40)]);
        let merged = merge_messages(
            &mut thread,
            &mut seen,
            vec![msg("a", 10), msg("b", 20), msg("c", 30)],
        );
        assert_eq!(merged.added.len(), 2);
        merge_messages(&mut thread, &mut seen, vec![msg("e", 50), msg("d", 40)]);
        assert_eq!(ids(&thread), ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn an_equal_timestamp_group_split_across_pages_ends_in_id_order() {
        let mut thread = Vec::new();
        let mut seen = HashSet::new();
        // The server split a group at t=20 between pages in its own order (x before m).
        merge_messages(&mut thread, &mut seen, vec![msg("x", 20), msg("z", 30)]);
        merge_messages(
            &mut thread,
            &mut seen,
            vec![msg("a", 10), msg("m", 20), msg("x", 20)],
        );
        assert_eq!(ids(&thread), ["a", "m", "x", "z"]);
    }

    #[test]
    fn a_known_message_is_updated_not_duplicated() {
        let mut thread = Vec::new();
        let mut seen = HashSet::new();
        merge_messages(&mut thread, &mut seen, vec![msg("a", 10)]);
        let mut changed = msg("a", 10);
        changed.body = "edited".into();
        let merged = merge_messages(&mut thread, &mut seen, vec![changed]);
        assert_eq!((merged.added.len(), merged.updated.len()), (0, 1));
        assert_eq!(thread.len(), 1);
        assert_eq!(thread[0].body, "edited");
    }

    #[test]
    fn a_copy_with_another_time_moves_to_its_place() {
        let mut thread = Vec::new();
        let mut seen = HashSet::new();
        merge_messages(
            &mut thread,
            &mut seen,
            vec![msg("a", 10), msg("mine", 50), msg("b", 20)],
        );
        // The server's copy of our sent message has the server's (earlier) time.
        merge_messages(&mut thread, &mut seen, vec![msg("mine", 15)]);
        assert_eq!(ids(&thread), ["a", "mine", "b"]);
    }

    #[test]
    fn position_finds_by_order_key() {
        let thread = vec![msg("a", 10), msg("b", 10), msg("c", 20)];
        let at = Utc.timestamp_opt(10, 0).unwrap();
        assert_eq!(position(&thread, at, &MessageId("b".into())), Some(1));
        assert_eq!(position(&thread, at, &MessageId("z".into())), None);
    }
}
