//! The end-of-run comparison of the app with the server's copy: threads (window, catch-up, ids,
//! content), the list's top page, replies and the run's own coverage.
//!
//! A thread's window is taken from the server: from the app's oldest loaded message (from the
//! server's first when the app says the thread is loaded to its beginning, or its oldest is the
//! server's first) up to the server's newest, which the app must hold after catching up. At the
//! oldest loaded instant, server messages the app lacks are not counted lost unless the thread is
//! at its beginning: the next older page re-reads that instant.

use std::collections::{HashMap, HashSet};

use super::Check;
use super::report::SoakReport;
use crate::api::{ConversationId, Direction, Message, MessageId};
use crate::app::state::{AppState, SendState, Thread};
use crate::sandbox::world::{MsgRec, World};
use crate::sandbox::{Fault, RequestRecord};

/// Ambiguous sends a run needs before its "sent at most once" means something.
pub const MIN_AMBIGUOUS_SENDS: usize = 3;

/// Compares every thread the app holds with the server.
pub fn threads(world: &World, state: &AppState, report: &mut SoakReport) {
    for thread in state.inbox.threads.values() {
        let Some(conv) = world.conversation_index(thread.conversation.as_str()) else {
            for message in &thread.messages {
                report.fail(Check::NothingInvented, || {
                    format!(
                        "{} in {}, a conversation the server does not have",
                        message.id, thread.conversation
                    )
                });
            }
            continue;
        };
        report.threads_checked += 1;
        thread_ids(thread, report);
        let server = &world.conversations[conv].messages;
        let Some(start) = window_start(server, thread) else {
            // Never loaded, not even after catching up.
            caught_up(server, thread, report);
            continue;
        };
        report.messages_checked += server.len() - start;
        lost(&server[start..], thread, report);
        caught_up(server, thread, report);
        content(server, thread, report);
    }
}

/// Each id once, each message after the one before (time, then id).
fn thread_ids(thread: &Thread, report: &mut SoakReport) {
    let mut seen = HashSet::new();
    for message in &thread.messages {
        if !seen.insert(message.id.as_str()) {
            report.fail(Check::UniqueAndOrdered, || {
                format!("{} is twice in {}", message.id, thread.conversation)
            });
        }
    }
    for pair in thread.messages.windows(2) {
        if pair[0].order_key() >= pair[1].order_key() {
            report.fail(Check::UniqueAndOrdered, || {
                format!(
                    "{} ({}) is not after {} ({}) in {}",
                    pair[1].id, pair[1].sent_at, pair[0].id, pair[0].sent_at, thread.conversation
                )
            });
        }
    }
}

/// Where the thread's window starts in the server's messages; `None` for a thread never loaded.
fn window_start(server: &[MsgRec], thread: &Thread) -> Option<usize> {
    if thread.at_beginning() {
        return Some(0);
    }
    let first = thread.messages.first()?;
    if server.first().is_some_and(|m| m.id == first.id.as_str()) {
        return Some(0);
    }
    Some(server.partition_point(|m| m.at <= first.sent_at))
}

fn lost(window: &[MsgRec], thread: &Thread, report: &mut SoakReport) {
    for (i, m) in window.iter().enumerate() {
        if thread.ids.contains(&MessageId(m.id.clone())) {
            continue;
        }
        report.fail(Check::NothingLost, || {
            let held = match (thread.messages.first(), thread.messages.last()) {
                (Some(a), Some(b)) => {
                    format!(
                        "{} from {} to {}",
                        thread.messages.len(),
                        a.sent_at,
                        b.sent_at
                    )
                }
                _ => "nothing".to_owned(),
            };
            let beginning = if thread.at_beginning() {
                ", loaded to its beginning"
            } else {
                ""
            };
            format!(
                "{} at {} (#{} of {} in the window) in {}: the app holds {held}{beginning}",
                m.id,
                m.at,
                i + 1,
                window.len(),
                thread.conversation
            )
        });
    }
}

/// The thread holds the server's newest message. (Messages of one instant are in the server's
/// order of arrival there and by id in the app, so it need not be the app's last.)
fn caught_up(server: &[MsgRec], thread: &Thread, report: &mut SoakReport) {
    let Some(newest) = server.last() else {
        return;
    };
    if thread.ids.contains(&MessageId(newest.id.clone())) {
        return;
    }
    let ours = thread.messages.last();
    let behind = ours.map_or(server.len(), |m| {
        server.len() - server.partition_point(|s| s.at <= m.sent_at)
    });
    report.fail(Check::CaughtUp, || {
        let ours = ours.map_or("nothing".to_owned(), |m| {
            format!("{} at {}", m.id, m.sent_at)
        });
        format!(
            "{} ends with {ours}, the server with {} at {} ({behind} newer)",
            thread.conversation, newest.id, newest.at
        )
    });
}

/// Every message the app holds is on the server with the same body, direction and time.
fn content(server: &[MsgRec], thread: &Thread, report: &mut SoakReport) {
    let by_id: HashMap<&str, &MsgRec> = server.iter().map(|m| (m.id.as_str(), m)).collect();
    for message in &thread.messages {
        let Some(rec) = by_id.get(message.id.as_str()) else {
            report.fail(Check::NothingInvented, || {
                format!(
                    "{} at {} in {} is not on the server",
                    message.id, message.sent_at, thread.conversation
                )
            });
            continue;
        };
        if let Some(difference) = differs(message, rec) {
            report.fail(Check::SameContent, || {
                format!("{} in {}: {difference}", message.id, thread.conversation)
            });
        }
    }
}

fn differs(message: &Message, rec: &MsgRec) -> Option<String> {
    let inbound = message.direction == Direction::Inbound;
    if message.body != rec.body {
        Some(format!(
            "body {:?}, the server's {:?}",
            message.body, rec.body
        ))
    } else if inbound != rec.inbound {
        Some(format!(
            "direction {:?}, the server's inbound={}",
            message.direction, rec.inbound
        ))
    } else if message.sent_at != rec.at {
        Some(format!("time {}, the server's {}", message.sent_at, rec.at))
    } else {
        None
    }
}

/// The server's first page of conversations (by activity) is in the app's list, each row with
/// the server's activity time and metadata; no row is listed twice.
pub fn list(world: &World, state: &AppState, report: &mut SoakReport) {
    let page = usize::try_from(state.settings.page_size).unwrap_or(usize::MAX);
    for &i in world.conversations_by_activity().iter().take(page) {
        let rec = &world.conversations[i];
        report.conversations_checked += 1;
        let id = ConversationId(rec.id.clone());
        let Some(row) = state.conversation(&id) else {
            report.fail(Check::ListMatches, || {
                format!("{} is not in the list", rec.id)
            });
            continue;
        };
        if row.metadata.0 != rec.metadata {
            report.fail(Check::ListMatches, || {
                format!(
                    "{}: metadata {}, the server's {}",
                    rec.id,
                    serde_json::to_string(&row.metadata.0).unwrap_or_default(),
                    serde_json::to_string(&rec.metadata).unwrap_or_default()
                )
            });
        }
        if row.last_activity_at != Some(rec.last_at()) {
            report.fail(Check::ListMatches, || {
                format!(
                    "{}: last activity {:?}, the server's {}",
                    rec.id,
                    row.last_activity_at,
                    rec.last_at()
                )
            });
        }
    }
    let mut seen = HashSet::new();
    for row in &state.inbox.list.items {
        if !seen.insert(&row.id) {
            report.fail(Check::ListMatches, || format!("{} is listed twice", row.id));
        }
    }
}

/// Copies of `body` on the server, in every conversation.
fn copies(world: &World, body: &str) -> usize {
    world
        .conversations
        .iter()
        .map(|c| c.messages.iter().filter(|m| m.body == body).count())
        .sum()
}

/// No reply twice on the server; every confirmed reply there; no send the server holds still
/// unsettled in the app.
pub fn replies(
    world: &World,
    state: &AppState,
    (typed, confirmed): (&[String], &[String]),
    report: &mut SoakReport,
) {
    for text in typed {
        let n = copies(world, text);
        if n > 1 {
            report.fail(Check::SentOnce, || {
                format!("{text:?} is on the server {n} times")
            });
        }
    }
    for text in confirmed {
        if copies(world, text) == 0 {
            report.fail(Check::SentOnce, || {
                format!("{text:?} was confirmed as sent but is not on the server")
            });
        }
    }
    for (id, draft) in &state.inbox.drafts {
        let Some(pending) = &draft.sending else {
            continue;
        };
        if copies(world, &pending.body) > 0 {
            let state = match &pending.state {
                SendState::Sending => "still sending",
                SendState::Unknown { .. } => "still unsure it was sent",
            };
            report.fail(Check::SendsSettled, || {
                format!("{:?} in {id}: {state}, but the server has it", pending.body)
            });
        }
    }
}

/// Sends the server acted on whose answer the client could not trust, and metadata writes the
/// server acted on, from the sandbox's request log.
pub fn writes(requests: &[RequestRecord]) -> (usize, usize) {
    let acted =
        |r: &RequestRecord| !matches!(r.fault, Some(Fault::Status(_) | Fault::RateLimit(_)));
    let ambiguous = requests
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/messages")
        .filter(|r| {
            matches!(
                r.fault,
                Some(Fault::Malformed | Fault::Truncated | Fault::Drop | Fault::Stall(_))
            )
        })
        .count();
    let saves = requests
        .iter()
        .filter(|r| r.method == "PATCH" && r.path.starts_with("/v1/conversations/"))
        .filter(|r| acted(r))
        .count();
    (ambiguous, saves)
}

/// The run compared messages, made ambiguous and confirmed sends, saved metadata and was
/// offline when the faults stopped.
pub fn exercised(report: &mut SoakReport) {
    let (messages, ambiguous, saves) = (
        report.messages_checked,
        report.ambiguous_sends,
        report.metadata_saves,
    );
    if messages == 0 {
        report.fail(Check::Exercised, || "no message was compared".to_owned());
    }
    if ambiguous < MIN_AMBIGUOUS_SENDS {
        report.fail(Check::Exercised, || {
            format!("{ambiguous} ambiguous sends, at least {MIN_AMBIGUOUS_SENDS} needed")
        });
    }
    if saves == 0 {
        report.fail(Check::Exercised, || {
            "no metadata save reached the server".to_owned()
        });
    }
    if report.replies_confirmed == 0 {
        report.fail(Check::Exercised, || {
            "no reply was confirmed as sent".to_owned()
        });
    }
    if !report.down_at_stop {
        report.fail(Check::Exercised, || {
            "the app was live when the faults stopped: recovery was not tested".to_owned()
        });
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn rec(id: &str, secs: i64, seq: u64) -> MsgRec {
        MsgRec {
            id: id.into(),
            seq,
            at: Utc.timestamp_opt(secs, 0).unwrap(),
            inbound: true,
            body: format!("body of {id}"),
            channel: "sms".into(),
            from: "+15550100".into(),
            to: "+15550199".into(),
            sender: None,
            media: Vec::new(),
            reactions: Vec::new(),
            reply_to: None,
            status: None,
            failure: None,
            delivered_at: None,
            read_at: None,
        }
    }

    fn msg(rec: &MsgRec) -> Message {
        Message {
            id: MessageId(rec.id.clone()),
            direction: Direction::Inbound,
            channel: None,
            body: rec.body.clone(),
            from: None,
            to: None,
            sender: None,
            media: Vec::new(),
            reactions: Vec::new(),
            reply_to: None,
            delivery: None,
            sent_at: rec.at,
            private: false,
            turn: None,
        }
    }

    /// A thread holding `messages` (in the app's order), loaded to its beginning or not.
    fn thread(messages: Vec<Message>, at_beginning: bool) -> Thread {
        let mut thread = Thread::new(ConversationId("c".into()));
        thread.ids = messages.iter().map(|m| m.id.clone()).collect();
        thread.messages = messages;
        thread.older = at_beginning.then_some(crate::api::NextPage::End);
        thread
    }

    /// Runs the per-thread checks of `threads` on one thread.
    fn check(server: &[MsgRec], thread: &Thread) -> SoakReport {
        let mut report = SoakReport::default();
        thread_ids(thread, &mut report);
        if let Some(start) = window_start(server, thread) {
            lost(&server[start..], thread, &mut report);
        }
        caught_up(server, thread, &mut report);
        content(server, thread, &mut report);
        report
    }

    #[test]
    fn a_thread_at_its_beginning_without_the_first_message_lost_it() {
        let server = [rec("a", 10, 0), rec("b", 20, 1), rec("c", 30, 2)];
        let report = check(
            &server,
            &thread(vec![msg(&server[1]), msg(&server[2])], true),
        );
        assert_eq!(report.count(Check::NothingLost), 1, "{report}");
        // Not at its beginning, the same thread is only partly loaded: nothing is lost.
        let report = check(
            &server,
            &thread(vec![msg(&server[1]), msg(&server[2])], false),
        );
        assert!(report.passed(), "{report}");
    }

    #[test]
    fn the_window_reaches_the_servers_newest_message() {
        let server = [rec("a", 10, 0), rec("b", 20, 1), rec("c", 30, 2)];
        let report = check(
            &server,
            &thread(vec![msg(&server[0]), msg(&server[1])], true),
        );
        assert_eq!(report.count(Check::NothingLost), 1, "{report}");
        assert_eq!(report.count(Check::CaughtUp), 1, "{report}");
    }

    #[test]
    fn messages_of_one_instant_may_be_ordered_differently_by_the_app() {
        // The server orders by arrival ("z" came first), the app by id: "y" is its last.
        let server = [rec("a", 10, 0), rec("z", 20, 1), rec("y", 20, 2)];
        let app = vec![msg(&server[0]), msg(&server[2]), msg(&server[1])];
        assert!(check(&server, &thread(app, true)).passed());
    }

    #[test]
    fn at_the_oldest_loaded_instant_a_missing_message_is_not_lost_yet() {
        let server = [
            rec("a", 10, 0),
            rec("b", 20, 1),
            rec("c", 20, 2),
            rec("d", 30, 3),
        ];
        let report = check(
            &server,
            &thread(vec![msg(&server[2]), msg(&server[3])], false),
        );
        assert!(report.passed(), "{report}");
    }

    #[test]
    fn a_message_twice_or_out_of_order_breaks_the_order() {
        let server = [rec("a", 10, 0), rec("b", 20, 1)];
        let twice = vec![msg(&server[0]), msg(&server[0]), msg(&server[1])];
        let report = check(&server, &thread(twice, true));
        assert_eq!(report.count(Check::UniqueAndOrdered), 2, "{report}");
        let swapped = vec![msg(&server[1]), msg(&server[0])];
        assert!(check(&server, &thread(swapped, true)).failed(Check::UniqueAndOrdered));
    }

    #[test]
    fn a_changed_body_and_an_unknown_message_are_reported() {
        let server = [rec("a", 10, 0), rec("b", 20, 1)];
        let mut changed = msg(&server[1]);
        changed.body.push('!');
        let report = check(&server, &thread(vec![msg(&server[0]), changed], true));
        assert_eq!(report.count(Check::SameContent), 1, "{report}");
        let invented = msg(&rec("x", 15, 9));
        let app = vec![msg(&server[0]), invented, msg(&server[1])];
        assert_eq!(
            check(&server, &thread(app, true)).count(Check::NothingInvented),
            1
        );
    }
}
