//! Whole-screen snapshots of the calls view: the list with its filters, and a live call's
//! transcript with its facts (fixed clock, UTC), at 80x24 and 160x48.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::{now, screen};

use chrono::TimeDelta;
use switchboard::api::{
    Call, CallEvent, CallId, CallSummary, Direction, NextPage, Page, TranscriptTurn, TurnRole,
};
use switchboard::app::action::{Action, Command};
use switchboard::app::effect::Effect;
use switchboard::app::state::{Account, AppState, Settings};
use switchboard::app::update::update;
use switchboard::ui::{self};

fn call(
    id: &str,
    from: &str,
    status: &str,
    minutes_ago: i64,
    snippet: Option<&str>,
) -> CallSummary {
    let inbound = !id.ends_with('o');
    CallSummary {
        id: CallId(id.into()),
        agent_id: Some("agt_1".into()),
        our_number: Some("+14155550100".into()),
        from: if inbound {
            from.into()
        } else {
            "+14155550100".into()
        },
        to: if inbound {
            "+14155550100".into()
        } else {
            from.into()
        },
        direction: Some(if inbound {
            Direction::Inbound
        } else {
            Direction::Outbound
        }),
        status: status.into(),
        started_at: Some(now() - TimeDelta::minutes(minutes_ago)),
        ended_at: None,
        duration_seconds: (status != "in-progress").then_some(125),
        last_snippet: snippet.map(str::to_owned),
    }
}

fn calls() -> Vec<CallSummary> {
    vec![
        call(
            "live",
            "+15559876543",
            "in-progress",
            2,
            Some("Let me check that order for you."),
        ),
        call(
            "c2o",
            "+12125550101",
            "completed",
            50,
            Some("You're booked for Friday at 1:15 PM."),
        ),
        call("c3", "+447700900123", "failed", 180, None),
        call(
            "c4",
            "+16175550142",
            "completed",
            60 * 26,
            Some("Thanks, that's all."),
        ),
    ]
}

fn turn(row: &str, role: TurnRole, secs: i64, text: &str) -> TranscriptTurn {
    TranscriptTurn {
        id: Some(row.into()),
        role,
        text: text.into(),
        at: Some(now() - TimeDelta::minutes(2) + TimeDelta::seconds(secs)),
    }
}

fn transcript() -> Vec<TranscriptTurn> {
    vec![
        turn(
            "r1",
            TurnRole::User,
            4,
            "Hi, I'm calling about my order. It was supposed to arrive yesterday.",
        ),
        turn(
            "r1",
            TurnRole::Agent,
            6,
            "I'm sorry about that. Can I have your order number?",
        ),
        turn("r2", TurnRole::User, 19, "It's ORD-12345."),
        turn(
            "r2",
            TurnRole::Agent,
            22,
            "Let me check that order for you.",
        ),
    ]
}

fn request<T>(effects: &[Effect], pick: impl Fn(&Effect) -> Option<T>) -> T {
    effects.iter().find_map(pick).unwrap()
}

pub(crate) fn fixture(width: u16, height: u16, open: bool) -> AppState {
    let account = Account {
        label: "AgentPhone sandbox".into(),
        demo: true,
    };
    let mut state = AppState::new(account, now(), ui::time::Zone::utc(), Settings::default());
    update(&mut state, Action::Resize { width, height });
    let effects = update(&mut state, Action::Command(Command::Calls));
    let list = request(&effects, |e| match e {
        Effect::LoadCalls { request, .. } => Some(*request),
        _ => None,
    });
    let page = Page {
        items: calls(),
        next: NextPage::End,
        total: Some(4),
        gaps: Vec::new(),
    };
    update(
        &mut state,
        Action::CallsLoaded {
            request: list,
            offset: 0,
            result: Ok(page),
        },
    );
    state.sync.last_success = Some(now());
    if open {
        let effects = update(&mut state, Action::Command(Command::Open));
        let read = request(&effects, |e| match e {
            Effect::LoadCall { request, .. } => Some(*request),
            _ => None,
        });
        let result = Ok(Call {
            summary: calls()[0].clone(),
            agent_name: Some("Ava (Support)".into()),
            recording_available: true,
            transcript: transcript(),
        });
        let effects = update(
            &mut state,
            Action::CallLoaded {
                request: read,
                call: CallId("live".into()),
                result,
            },
        );
        let stream = request(&effects, |e| match e {
            Effect::StreamTranscript { request, .. } => Some(*request),
            _ => None,
        });
        update(
            &mut state,
            Action::CallStream {
                request: stream,
                event: CallEvent::Connected,
            },
        );
    }
    state
}

#[test]
fn calls_list_with_filters_80x24() {
    let mut state = fixture(80, 24, false);
    update(&mut state, Action::Command(Command::StatusFilter));
    // The filtered reload answers with the live call only.
    let request = match &state.calls.load {
        switchboard::app::paging::Load::Loading(r) => *r,
        other => panic!("{other:?}"),
    };
    let page = Page {
        items: vec![calls()[0].clone()],
        next: NextPage::End,
        total: Some(1),
        gaps: Vec::new(),
    };
    update(
        &mut state,
        Action::CallsLoaded {
            request,
            offset: 0,
            result: Ok(page),
        },
    );
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn live_call_transcript_80x24() {
    insta::assert_snapshot!(screen(&fixture(80, 24, true)));
}

#[test]
fn calls_and_live_transcript_160x48() {
    insta::assert_snapshot!(screen(&fixture(160, 48, true)));
}
