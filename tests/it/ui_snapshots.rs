//! Whole-screen snapshots from fixed states (fixed clock, UTC), at 80x24 and 160x48.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::{now, screen};

use chrono::TimeDelta;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use switchboard::api::{
    Capabilities, Conversation, ConversationId, Counterparty, Cursor, Delivery, DeliveryStatus,
    Direction, Message, MessageId, Metadata, NextPage, Page, Participant, Reaction,
};
use switchboard::app::action::{Action, Command};
use switchboard::app::effect::Effect;
use switchboard::app::state::{Account, AppState, Settings};
use switchboard::app::update::update;
use switchboard::ui::{self, ViewState};

fn person(
    id: &str,
    name: Option<&str>,
    address: &str,
    minutes_ago: i64,
    preview: &str,
) -> Conversation {
    Conversation {
        id: ConversationId(id.into()),
        counterparty: Counterparty::Person(Participant {
            address: address.into(),
            name: name.map(str::to_owned),
        }),
        our_number: Some("+14155550100".into()),
        our_number_id: Some("num_1".into()),
        agent_id: None,
        channel: Some("imessage".into()),
        last_activity_at: Some(now() - TimeDelta::minutes(minutes_ago)),
        preview: Some(preview.into()),
        message_count: Some(12),
        metadata: Metadata(None),
        created_at: None,
        unread_count: None,
        session: None,
        desk: None,
        capabilities: Capabilities {
            typing: true,
            reactions: true,
            ..Capabilities::default()
        },
    }
}

fn conversations() -> Vec<Conversation> {
    let mut jane = person(
        "c1",
        Some("Jane Doe"),
        "+15559876543",
        3,
        "Where is my order ORD-12345?",
    );
    jane.metadata = Metadata(
        json!({"status": "open", "assignee": "dana", "order": {"id": "ORD-12345"}})
            .as_object()
            .cloned(),
    );
    let mut group = person("c2", None, "grp_1", 42, "Sounds good 👍");
    group.counterparty = Counterparty::Group {
        id: "grp_1".into(),
        name: Some("Weekend crew".into()),
        members: vec![
            Participant {
                address: "+12125550101".into(),
                name: Some("Ana".into()),
            },
            Participant {
                address: "+12125550102".into(),
                name: None,
            },
        ],
    };
    let mut media = person("c3", None, "+13035550199", 60 * 5, "");
    media.preview = None;
    let hostile = person(
        "c4",
        Some("\u{202E}Mallory\u{202C} \x1b[31mRed"),
        "+447700900123",
        60 * 30,
        "\x1b]0;pwned\x07Click me 漢字",
    );
    let mut rest = vec![jane, group, media, hostile];
    for i in 5..16 {
        rest.push(person(
            &format!("c{i}"),
            Some(&format!("Customer {i}")),
            &format!("+1202555{i:04}"),
            60 * 24 * i,
            "Thanks!",
        ));
    }
    rest
}

fn message(id: &str, minutes_ago: i64, direction: Direction, body: &str) -> Message {
    let at = now() - TimeDelta::minutes(minutes_ago);
    let message = Message::new(id, direction, body, at).with_channel("imessage");
    if direction == Direction::Inbound {
        message.with_from("+15559876543")
    } else {
        message
            .with_from("+14155550100")
            .with_delivery(DeliveryStatus::Delivered)
    }
}

fn thread() -> Vec<Message> {
    let mut photo = message("m2", 60 * 26, Direction::Inbound, "Here's the damaged box");
    photo.media = vec!["https://media.agentphone.ai/sandbox/m2/damaged_box.jpg".into()];
    let mut sorry = message(
        "m3",
        60 * 26 - 1,
        Direction::Outbound,
        "So sorry it arrived damaged! A replacement ships today.",
    );
    sorry.reactions = vec![Reaction {
        id: "r1".into(),
        kind: "love".into(),
        from: None,
        direction: Direction::Inbound,
        at: None,
    }];
    let mut failed = message(
        "m4",
        60 * 25,
        Direction::Outbound,
        "Your tracking number is 1Z999AA10123456784.",
    );
    failed.delivery = Some(Delivery {
        status: DeliveryStatus::Failed,
        failure_reason: Some("Message filtered by the carrier (spam filter)".into()),
        error_code: Some("30007".into()),
        delivered_at: None,
        read_at: None,
    });
    vec![
        message(
            "m1",
            60 * 27,
            Direction::Inbound,
            "Hi, my order arrived damaged 😕",
        ),
        photo,
        sorry,
        failed,
        message(
            "m5",
            10,
            Direction::Inbound,
            "Where is my order ORD-12345? 漢字テスト",
        ),
        message("m6", 3, Direction::Outbound, "Checking now, one moment."),
    ]
}

/// A state with the list loaded and, when `open`, the first conversation open.
pub(crate) fn fixture(width: u16, height: u16, open: bool) -> AppState {
    let account = Account {
        label: "AgentPhone sandbox".into(),
        demo: true,
    };
    let mut state = AppState::new(
        account,
        now(),
        switchboard::ui::time::Zone::utc(),
        Settings::default(),
    );
    update(&mut state, Action::Resize { width, height });
    let effects = update(&mut state, Action::Start);
    let Some(Effect::LoadConversations { request, .. }) = effects.first().cloned() else {
        panic!()
    };
    let result = Ok(Page {
        items: conversations(),
        next: NextPage::More(Cursor::Offset(15)),
        total: Some(240),
    });
    update(
        &mut state,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result,
        },
    );
    state.sync.last_success = Some(now());
    if open {
        let effects = update(&mut state, Action::Command(Command::Open));
        let request = effects
            .iter()
            .find_map(|e| match e {
                Effect::LoadThread { request, .. } => Some(*request),
                _ => None,
            })
            .unwrap();
        let result = Ok(Page {
            items: thread(),
            next: NextPage::End,
            total: None,
        });
        update(
            &mut state,
            Action::ThreadLoaded {
                request,
                conversation: ConversationId("c1".into()),
                result,
                cached: false,
            },
        );
    }
    state
}

#[test]
fn list_80x24() {
    insta::assert_snapshot!(screen(&fixture(80, 24, false)));
}

#[test]
fn thread_80x24() {
    insta::assert_snapshot!(screen(&fixture(80, 24, true)));
}

#[test]
fn inbox_160x48() {
    insta::assert_snapshot!(screen(&fixture(160, 48, true)));
}

#[test]
fn editor_with_a_validation_error_160x48() {
    let mut state = fixture(160, 48, true);
    update(&mut state, Action::Command(Command::EditMetadata));
    for c in ", oops".chars() {
        update(
            &mut state,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn help_80x24() {
    let mut state = fixture(80, 24, false);
    update(&mut state, Action::Command(Command::Help));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn help_160x48() {
    let mut state = fixture(160, 48, true);
    update(&mut state, Action::Command(Command::Help));
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn reply_box_while_writing_80x24() {
    let mut state = fixture(80, 24, true);
    update(&mut state, Action::Command(Command::Reply));
    for c in "On it!".chars() {
        update(
            &mut state,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn no_control_characters_reach_any_cell() {
    for (width, height) in [(80, 24), (160, 48)] {
        let backend = screen(&fixture(width, height, true));
        for cell in backend.buffer().content() {
            assert!(
                switchboard::text::is_terminal_safe(cell.symbol()),
                "{:?}",
                cell.symbol()
            );
        }
    }
}

/// The thread rows of the screen (inside the thread pane's border).
fn thread_rows(state: &AppState) -> Vec<String> {
    let backend = screen(state);
    let buffer = backend.buffer();
    let pane = switchboard::ui::layout::panes(state, buffer.area)
        .thread
        .unwrap();
    (pane.y + 1..pane.bottom() - 1)
        .map(|y| {
            (pane.x + 1..pane.right() - 2)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

#[test]
fn one_line_up_moves_the_thread_by_exactly_one_line() {
    // Bodies exactly as wide as the pane's inside, where a width mismatch would show.
    for width in [80, 120, 160] {
        let mut state = fixture(width, 30, true);
        let pane =
            switchboard::ui::layout::panes(&state, ratatui::layout::Rect::new(0, 0, width, 30))
                .thread
                .unwrap();
        let inner = usize::from(pane.width - 2);
        let long: Vec<Message> = (0..40)
            .map(|i| {
                let text: String = "x".repeat(inner - 3 + i % 5);
                message(
                    &format!("w{i:02}"),
                    50 - i64::try_from(i).unwrap(),
                    Direction::Inbound,
                    &text,
                )
            })
            .collect();
        let thread = state
            .inbox
            .threads
            .get_mut(&ConversationId("c1".into()))
            .unwrap();
        let mut ids = thread.ids.clone();
        switchboard::app::paging::merge_messages(&mut thread.messages, &mut ids, long);
        thread.ids = ids;
        for step in 0..30 {
            let before = thread_rows(&state);
            update(&mut state, Action::Command(Command::Up));
            let after = thread_rows(&state);
            assert_eq!(
                &after[1..],
                &before[..before.len() - 1],
                "width {width}, step {step}"
            );
        }
    }
}

#[test]
fn editor_with_a_validation_error_80x24() {
    let mut state = fixture(80, 24, true);
    update(&mut state, Action::Command(Command::EditMetadata));
    for c in ", oops".chars() {
        update(
            &mut state,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn no_color_draws_without_colour_but_keeps_focus_and_selection() {
    use ratatui::style::{Color, Modifier};
    let state = fixture(80, 24, false);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut view = ViewState {
        theme: switchboard::ui::theme::Theme::named(
            switchboard::ui::theme::ThemeName::default(),
            true,
        ),
    };
    terminal
        .draw(|frame| ui::render(frame, &state, &mut view))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    for cell in buffer.content() {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Reset, Color::Reset),
            "{:?}",
            cell.symbol()
        );
    }
    let reversed = buffer
        .content()
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED))
        .count();
    assert!(
        reversed >= 40,
        "the selected row is reversed ({reversed} cells)"
    );
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn search_results_80x24() {
    use switchboard::cache::SearchHit;
    let mut state = fixture(80, 24, false);
    update(&mut state, Action::Command(Command::Search));
    let mut request = None;
    for c in "order".chars() {
        let effects = update(
            &mut state,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
        for effect in effects {
            if let Effect::Search { request: r, .. } = effect {
                request = Some(r);
            }
        }
    }
    let hit = |conv: &str, id: &str, minutes: i64, parts: &[(&str, bool)]| SearchHit {
        conversation: ConversationId(conv.into()),
        title: "cached name".into(),
        message: Some((MessageId(id.into()), now() - TimeDelta::minutes(minutes))),
        snippet: parts.iter().map(|(t, m)| ((*t).to_owned(), *m)).collect(),
    };
    let hits = vec![
        hit(
            "c1",
            "m1",
            3,
            &[
                ("Where is my ", false),
                ("order", true),
                (" ORD-12345?", false),
            ],
        ),
        hit(
            "gone",
            "m2",
            60 * 30,
            &[
                ("…your ", false),
                ("order", true),
                (" shipped on Monday", false),
            ],
        ),
    ];
    update(
        &mut state,
        Action::Searched {
            request: request.unwrap(),
            result: Ok(hits),
        },
    );
    insta::assert_snapshot!(screen(&state));
}
