//! The calls view: switching to it, paging and filters, opening a call, following the live
//! transcript stream (drops, reconnects, replays, the end), and the transcript's scrolling.

use super::*;
use crate::api::StreamEnd;
use crate::api::{Call, CallEvent, CallFilter, CallId, CallSummary, TranscriptTurn, TurnRole};
use crate::app::state::{Stream, View};
use crate::keymap::Mode;

pub(super) fn call(id: &str, status: &str, minutes_ago: i64) -> CallSummary {
    CallSummary {
        id: CallId(id.into()),
        agent_id: Some("agt_1".into()),
        our_number: Some("+14155550100".into()),
        from: format!("+1555{id}"),
        to: "+14155550100".into(),
        direction: Some(Direction::Inbound),
        status: status.into(),
        started_at: Some(t0() - TimeDelta::minutes(minutes_ago)),
        ended_at: None,
        duration_seconds: (status != "in-progress").then_some(95),
        last_snippet: Some(format!("snippet of {id}")),
    }
}

fn turn(row: &str, role: TurnRole, secs: i64) -> TranscriptTurn {
    TranscriptTurn {
        id: Some(row.into()),
        role,
        text: format!("{role:?} says {row}"),
        at: Some(t0() + TimeDelta::seconds(secs)),
    }
}

fn exchange(row: &str, secs: i64) -> Vec<TranscriptTurn> {
    vec![
        turn(row, TurnRole::User, secs),
        turn(row, TurnRole::Agent, secs),
    ]
}

fn calls_request(effects: &[Effect]) -> (RequestId, u64, CallFilter) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadCalls {
                request,
                offset,
                filter,
                ..
            } => Some((*request, *offset, filter.clone())),
            _ => None,
        })
        .expect("a calls request")
}

fn call_request(effects: &[Effect]) -> RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadCall { request, .. } => Some(*request),
            _ => None,
        })
        .expect("a call request")
}

fn stream_request(effects: &[Effect]) -> Option<RequestId> {
    effects.iter().find_map(|e| match e {
        Effect::StreamTranscript { request, .. } => Some(*request),
        _ => None,
    })
}

/// The calls view with `items` loaded (one page, more to come).
pub(super) fn calls_view(items: Vec<CallSummary>) -> AppState {
    let mut s = state();
    let effects = cmd(&mut s, Command::Calls);
    assert_eq!(s.chrome.view, View::Calls);
    assert_eq!(s.mode(), Mode::Calls);
    let (request, offset, _) = calls_request(&effects);
    assert_eq!(offset, 0);
    update(
        &mut s,
        Action::CallsLoaded {
            request,
            offset: 0,
            result: Ok(page(items, NextPage::End)),
        },
    );
    s
}

/// A live call opened: its stored turns read, the stream asked for.
pub(super) fn live_call_open() -> (AppState, RequestId) {
    let mut s = calls_view(vec![
        call("1", "in-progress", 1),
        call("2", "completed", 30),
    ]);
    let effects = cmd(&mut s, Command::Open);
    assert_eq!(s.mode(), Mode::Transcript);
    let request = call_request(&effects);
    let mut stored = call("1", "in-progress", 1);
    stored.last_snippet = None;
    let effects = update(
        &mut s,
        Action::CallLoaded {
            request,
            call: CallId("1".into()),
            result: Ok(Call {
                summary: stored,
                agent_name: Some("Ava".into()),
                recording_available: true,
                transcript: exchange("r1", 5),
            }),
        },
    );
    let stream = stream_request(&effects).expect("a live call is followed");
    (s, stream)
}

/// Answers the read of call 1 (`status` now, with `transcript`); returns what that starts.
fn answer_read(
    s: &mut AppState,
    request: RequestId,
    status: &str,
    transcript: Vec<TranscriptTurn>,
) -> Vec<Effect> {
    let result = Ok(Call {
        summary: call("1", status, 1),
        agent_name: None,
        recording_available: true,
        transcript,
    });
    let call = CallId("1".into());
    update(
        s,
        Action::CallLoaded {
            request,
            call,
            result,
        },
    )
}

/// Answers the re-read of call 1 (still live); returns the stream request that follows.
fn reread_live(s: &mut AppState, effects: &[Effect]) -> RequestId {
    let request = call_request(effects);
    let effects = answer_read(s, request, "in-progress", exchange("r1", 5));
    stream_request(&effects).expect("followed again")
}

fn event(s: &mut AppState, request: RequestId, event: CallEvent) -> Vec<Effect> {
    update(s, Action::CallStream { request, event })
}

#[test]
fn c_switches_to_the_calls_and_back_keeping_what_was_loaded() {
    let mut s = calls_view(vec![call("1", "completed", 5), call("2", "failed", 50)]);
    assert_eq!(s.calls.items.len(), 2);
    cmd(&mut s, Command::Down);
    assert_eq!(s.calls.selected, 1);
    cmd(&mut s, Command::Calls);
    assert_eq!((s.chrome.view, s.mode()), (View::Conversations, Mode::List));
    // Back again: the rows are still there; only the top is read again (the poll).
    let effects = cmd(&mut s, Command::Calls);
    assert_eq!(s.calls.selected, 1);
    assert_eq!(s.calls.poll, Some(calls_request(&effects).0));
    assert!(!s.calls.load.is_loading());
}

#[test]
fn filters_reload_from_the_first_page_and_drop_stale_replies() {
    let mut s = calls_view(vec![call("1", "completed", 5)]);
    let (old, _, _) = calls_request(&cmd(&mut s, Command::StatusFilter));
    let (request, offset, filter) = calls_request(&cmd(&mut s, Command::DirectionFilter));
    assert_eq!(offset, 0);
    assert_eq!(filter.status.as_deref(), Some("in-progress"));
    assert_eq!(filter.direction.as_deref(), Some("inbound"));
    assert!(
        s.calls.items.is_empty(),
        "rows of other filters are not shown"
    );
    // The reply to the status-only request comes late: dropped.
    update(
        &mut s,
        Action::CallsLoaded {
            request: old,
            offset: 0,
            result: Ok(page(vec![call("9", "in-progress", 1)], NextPage::End)),
        },
    );
    assert!(s.calls.items.is_empty());
    update(
        &mut s,
        Action::CallsLoaded {
            request,
            offset: 0,
            result: Ok(page(vec![call("3", "in-progress", 1)], NextPage::End)),
        },
    );
    assert_eq!(s.calls.items[0].id, CallId("3".into()));
    // The number search is typed, then asked for on enter; esc clears every filter.
    cmd(&mut s, Command::Filter);
    assert_eq!(s.mode(), Mode::Filter);
    for c in "555".chars() {
        update(
            &mut s,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    let (_, _, filter) = calls_request(&cmd(&mut s, Command::Accept));
    assert_eq!(filter.search.as_deref(), Some("555"));
    assert_eq!(s.mode(), Mode::Calls);
    let (_, _, filter) = calls_request(&cmd(&mut s, Command::ClearFilter));
    assert_eq!(filter, CallFilter::default());
}

#[test]
fn the_list_pages_on_and_the_poll_merges_new_calls_on_top() {
    let mut s = state();
    let (request, _, _) = calls_request(&cmd(&mut s, Command::Calls));
    let first: Vec<CallSummary> = (0..50)
        .map(|i| call(&i.to_string(), "completed", i))
        .collect();
    let effects = update(
        &mut s,
        Action::CallsLoaded {
            request,
            offset: 0,
            result: Ok(page(first, NextPage::More(Cursor::Offset(50)))),
        },
    );
    assert!(effects.is_empty(), "no second page while far from the end");
    let effects = cmd(&mut s, Command::Bottom);
    let (_, offset, _) = calls_request(&effects);
    assert_eq!(offset, 50);
    assert!(
        cmd(&mut s, Command::Up).is_empty(),
        "one page request at a time"
    );
    // Ten seconds later the top is read again; a new call goes on top, the selection stays.
    let selected = s.calls.selected_call().unwrap().id.clone();
    let effects = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(11),
        },
    );
    let (poll, offset, _) = calls_request(&effects);
    assert_eq!(offset, 0);
    update(
        &mut s,
        Action::CallsLoaded {
            request: poll,
            offset: 0,
            result: Ok(page(vec![call("new", "in-progress", 0)], NextPage::End)),
        },
    );
    assert_eq!(s.calls.items[0].id, CallId("new".into()));
    assert_eq!(s.calls.selected_call().unwrap().id, selected);
}

#[test]
fn a_live_call_streams_new_turns_without_duplicates_and_stops_on_ended() {
    let (mut s, stream) = live_call_open();
    event(&mut s, stream, CallEvent::Connected);
    // The replay repeats the stored exchange; then a new one arrives.
    event(&mut s, stream, CallEvent::Turns(exchange("r1", 5)));
    event(&mut s, stream, CallEvent::Turns(exchange("r2", 20)));
    let open = s.calls.open.as_ref().unwrap();
    assert_eq!(open.transcript.len(), 4);
    assert_eq!(
        open.stream,
        Stream::Open {
            request: stream,
            connected: true
        }
    );
    // A heartbeat changes nothing on screen: no redraw.
    let version = s.chrome.version;
    event(&mut s, stream, CallEvent::Heartbeat);
    assert_eq!(s.chrome.version, version);
    // Ended: the call is read again for its final facts; the stream is done.
    let effects = event(&mut s, stream, CallEvent::Ended);
    assert_eq!(s.calls.open.as_ref().unwrap().stream, Stream::Ended);
    assert!(matches!(effects[..], [Effect::LoadCall { .. }]));
    let after = update(
        &mut s,
        Action::CallStreamClosed {
            request: stream,
            result: Ok(StreamEnd::Ended),
        },
    );
    assert!(after.is_empty());
    assert_eq!(s.calls.open.as_ref().unwrap().stream, Stream::Ended);
}

#[test]
fn a_dropped_stream_reconnects_with_a_growing_wait_and_stale_events_are_ignored() {
    let (mut s, first) = live_call_open();
    let dropped = Err(ApiError::Connection {
        message: "reset".into(),
    });
    update(
        &mut s,
        Action::CallStreamClosed {
            request: first,
            result: dropped.clone(),
        },
    );
    let open = s.calls.open.as_ref().unwrap();
    assert_eq!(
        open.stream,
        Stream::Retrying {
            at: t0() + TimeDelta::seconds(1)
        }
    );
    assert!(
        s.chrome
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("reconnecting")
    );
    // Not yet; then the tick reads the call again and, still live, reopens the stream.
    assert!(update(&mut s, Action::Tick { now: t0() }).is_empty());
    let effects = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(1),
        },
    );
    let second = reread_live(&mut s, &effects);
    assert_ne!(second, first);
    // The old stream's late events do nothing.
    event(&mut s, first, CallEvent::Turns(exchange("zombie", 9)));
    assert_eq!(s.calls.open.as_ref().unwrap().transcript.len(), 2);
    // Failing again before connecting waits longer.
    update(
        &mut s,
        Action::CallStreamClosed {
            request: second,
            result: dropped,
        },
    );
    let open = s.calls.open.as_ref().unwrap();
    assert_eq!(
        open.stream,
        Stream::Retrying {
            at: t0() + TimeDelta::seconds(3)
        }
    );
    // ctrl-r reconnects at once.
    let effects = cmd(&mut s, Command::Refresh);
    let third = reread_live(&mut s, &effects);
    event(&mut s, third, CallEvent::Connected);
    event(&mut s, third, CallEvent::Turns(exchange("r1", 5)));
    event(&mut s, third, CallEvent::Turns(exchange("r2", 20)));
    assert_eq!(s.calls.open.as_ref().unwrap().transcript.len(), 4);
    // A call that is gone is not retried forever.
    let gone = Err(ApiError::NotFound {
        message: "Call not found".into(),
    });
    update(
        &mut s,
        Action::CallStreamClosed {
            request: third,
            result: gone,
        },
    );
    assert!(matches!(
        s.calls.open.as_ref().unwrap().stream,
        Stream::Failed(_)
    ));
}

#[test]
fn leaving_the_calls_view_stops_the_stream_and_coming_back_resumes_it() {
    let (mut s, stream) = live_call_open();
    let effects = cmd(&mut s, Command::Calls);
    assert!(effects.contains(&Effect::StopStream));
    assert_eq!(s.calls.open.as_ref().unwrap().stream, Stream::Off);
    // Late events of the stopped stream are ignored.
    event(&mut s, stream, CallEvent::Turns(exchange("r9", 50)));
    assert_eq!(s.calls.open.as_ref().unwrap().transcript.len(), 2);
    let effects = cmd(&mut s, Command::Calls);
    let request = call_request(&effects);
    let transcript = [exchange("r1", 5), exchange("r9", 50)].concat();
    let effects = answer_read(&mut s, request, "in-progress", transcript);
    assert!(stream_request(&effects).is_some());
    assert_eq!(s.calls.open.as_ref().unwrap().transcript.len(), 4);
}

#[test]
fn a_finished_call_is_read_once_and_not_followed() {
    let mut s = calls_view(vec![call("2", "completed", 30)]);
    let request = call_request(&cmd(&mut s, Command::Open));
    let effects = update(
        &mut s,
        Action::CallLoaded {
            request,
            call: CallId("2".into()),
            result: Ok(Call {
                summary: call("2", "completed", 30),
                agent_name: None,
                recording_available: false,
                transcript: exchange("a", 1),
            }),
        },
    );
    assert!(stream_request(&effects).is_none());
    assert_eq!(s.calls.open.as_ref().unwrap().stream, Stream::Off);
    // Back goes to the list; enter on the same call does not read it again.
    cmd(&mut s, Command::Back);
    assert_eq!(s.mode(), Mode::Calls);
    assert!(cmd(&mut s, Command::Open).is_empty());
    assert_eq!(s.mode(), Mode::Transcript);
}

#[test]
fn scrolling_up_holds_the_view_while_turns_arrive_and_g_follows_again() {
    let (mut s, stream) = live_call_open();
    for i in 2..20 {
        event(
            &mut s,
            stream,
            CallEvent::Turns(exchange(&format!("r{i}"), i * 10)),
        );
    }
    cmd(&mut s, Command::PageUp);
    let back = s.calls.open.as_ref().unwrap().back;
    assert!(back > 0);
    event(&mut s, stream, CallEvent::Turns(exchange("r20", 300)));
    let open = s.calls.open.as_ref().unwrap();
    assert_eq!(open.new_below, 2);
    assert!(
        open.back > back,
        "the view moves up with the new lines, so it stays put"
    );
    cmd(&mut s, Command::Bottom);
    let open = s.calls.open.as_ref().unwrap();
    assert_eq!((open.back, open.new_below), (0, 0));
    // Top never scrolls past the first line.
    cmd(&mut s, Command::Top);
    let top = s.calls.open.as_ref().unwrap().back;
    cmd(&mut s, Command::Up);
    assert_eq!(s.calls.open.as_ref().unwrap().back, top);
}

#[test]
fn copying_in_the_calls_view_takes_the_number_the_id_and_the_transcript() {
    let (mut s, _) = live_call_open();
    let copied = |effects: Vec<Effect>| match &effects[..] {
        [Effect::Terminal(crate::app::effect::TerminalEffect::Copy(text))] => text.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(copied(cmd(&mut s, Command::CopyNumber)), "+15551");
    assert_eq!(copied(cmd(&mut s, Command::CopyId)), "1");
    let transcript = copied(cmd(&mut s, Command::CopyMessage));
    assert!(
        transcript.starts_with("Caller (1:05): User says r1\nAgent (1:05): Agent says r1"),
        "{transcript}"
    );
}

#[test]
fn find_in_a_transcript_walks_the_matching_turns_and_scrolls_to_them() {
    let (mut s, stream) = live_call_open();
    for i in 2..30 {
        event(
            &mut s,
            stream,
            CallEvent::Turns(exchange(&format!("r{i}"), i * 10)),
        );
    }
    cmd(&mut s, Command::Find);
    for c in "agent says r2".chars() {
        update(
            &mut s,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    cmd(&mut s, Command::Accept);
    // "r2", "r20" … "r29": the newest match first, then further back.
    let at = |s: &AppState| match &s.find.current {
        Some(crate::app::state::FindAt::Turn(i)) => *i,
        other => panic!("{other:?}"),
    };
    let newest = at(&s);
    assert_eq!(
        s.calls.open.as_ref().unwrap().transcript[newest].text,
        "Agent says r29"
    );
    assert_eq!(
        s.calls.open.as_ref().unwrap().back,
        0,
        "the last turn is on screen already"
    );
    for _ in 0..10 {
        cmd(&mut s, Command::FindNext);
    }
    let oldest = at(&s);
    assert_eq!(
        s.calls.open.as_ref().unwrap().transcript[oldest].text,
        "Agent says r2"
    );
    assert!(
        s.calls.open.as_ref().unwrap().back > 0,
        "scrolled up to show it"
    );
    cmd(&mut s, Command::FindNext);
    assert_eq!(at(&s), oldest, "no match further back");
    cmd(&mut s, Command::FindPrev);
    assert_eq!(
        s.calls.open.as_ref().unwrap().transcript[at(&s)].text,
        "Agent says r20"
    );
}

#[test]
fn a_call_that_ended_while_disconnected_or_a_read_landing_after_leaving_is_not_followed() {
    let (mut s, first) = live_call_open();
    let dropped = Err(ApiError::Connection {
        message: "reset".into(),
    });
    update(
        &mut s,
        Action::CallStreamClosed {
            request: first,
            result: dropped,
        },
    );
    let effects = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(1),
        },
    );
    let request = call_request(&effects);
    let transcript = [exchange("r1", 5), exchange("r2", 20)].concat();
    let effects = answer_read(&mut s, request, "completed", transcript);
    assert!(
        stream_request(&effects).is_none(),
        "an ended call is not followed"
    );
    assert_eq!(s.calls.open.as_ref().unwrap().transcript.len(), 4);
    // Opening a live call, then leaving the view before its read lands: no hidden stream.
    let mut s = calls_view(vec![call("1", "in-progress", 1)]);
    let request = call_request(&cmd(&mut s, Command::Open));
    cmd(&mut s, Command::Calls);
    let effects = answer_read(&mut s, request, "in-progress", exchange("r1", 5));
    assert!(
        stream_request(&effects).is_none(),
        "the calls view is hidden"
    );
}

#[test]
fn the_mouse_works_the_calls_view_not_the_hidden_conversations() {
    use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
    let mut s = calls_view(
        (0..20)
            .map(|i| call(&i.to_string(), "completed", i))
            .collect(),
    );
    s.settings.mouse = true;
    let conversations_before = s.inbox.list.selected.clone();
    let wheel = |kind| {
        Action::Mouse(MouseEvent {
            kind,
            column: 3,
            row: 5,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut s, wheel(MouseEventKind::ScrollDown));
    assert_eq!(s.calls.selected, 3);
    assert_eq!(s.inbox.list.selected, conversations_before);
    // A click on the second row (lines 3–4 inside the border) picks the call drawn there.
    update(
        &mut s,
        wheel(MouseEventKind::Down(
            ratatui::crossterm::event::MouseButton::Left,
        )),
    );
    assert_eq!(s.calls.selected, 2);
}
