//! Copy, links, notifications, mutes, the mouse and the external editor.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::*;
use crate::app::effect::{EditPurpose, TerminalEffect};

fn terminal(effects: &[Effect]) -> Vec<TerminalEffect> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Terminal(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn copy_takes_the_highlighted_message_and_sanitises_it() {
    let mut messages = msgs(0, 20);
    messages[19].body = "code \x1b]52;c;ZXZpbA==\x07 is 4821".into();
    let mut s = opened(messages);
    let copied = terminal(&cmd(&mut s, Command::CopyMessage));
    assert_eq!(copied, vec![TerminalEffect::Copy("code ␛ is 4821".into())]);
    let number = terminal(&cmd(&mut s, Command::CopyNumber));
    assert_eq!(number, vec![TerminalEffect::Copy("+1555c".into())]);
    let id = terminal(&cmd(&mut s, Command::CopyId));
    assert_eq!(id, vec![TerminalEffect::Copy("c".into())]);
}

#[test]
fn links_come_from_media_and_text_and_only_http() {
    let mut m = msg("x", 0, Direction::Inbound);
    m.body =
        "see https://a.example/x). or http://b.example, not javascript:alert(1) or ftp://c".into();
    m.media = vec!["https://media.example/1.jpg".into()];
    assert_eq!(
        super::super::clipboard::links(&m),
        [
            "https://media.example/1.jpg",
            "https://a.example/x",
            "http://b.example"
        ]
    );
}

#[test]
fn one_link_opens_where_a_browser_can_start_and_is_listed_over_ssh() {
    let mut messages = msgs(0, 5);
    messages[4].body = "track it at https://track.example/1Z".into();
    let mut s = opened(messages.clone());
    s.can_open_links = true;
    let opened_effects = terminal(&cmd(&mut s, Command::OpenLink));
    assert_eq!(
        opened_effects,
        vec![TerminalEffect::OpenUrl("https://track.example/1Z".into())]
    );

    let mut ssh = opened(messages);
    ssh.can_open_links = false;
    assert!(cmd(&mut ssh, Command::OpenLink).is_empty());
    assert!(matches!(ssh.chrome.overlay, Some(Overlay::Links { .. })));
    assert!(
        cmd(&mut ssh, Command::Open).is_empty(),
        "nothing to open with"
    );
    let copied = terminal(&cmd(&mut ssh, Command::CopyMessage));
    assert_eq!(
        copied,
        vec![TerminalEffect::Copy("https://track.example/1Z".into())]
    );
    assert!(ssh.chrome.overlay.is_none());
}

fn peek_with(s: &mut AppState, body: &str) -> Vec<Effect> {
    s.sync.list.due = Some(s.now);
    let effects = update(s, Action::Tick { now: t0() });
    let (request, _) = list_request(&effects);
    let effects = update(
        s,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result: Ok(page(vec![conv("b", 0), conv("a", 1)], NextPage::End)),
        },
    );
    let Some(Effect::Peek {
        request,
        conversation,
        ..
    }) = effects.into_iter().next()
    else {
        panic!("expected a peek");
    };
    let mut inbound = msg("x1", 0, Direction::Inbound);
    inbound.sent_at = t0();
    inbound.body = body.into();
    update(
        s,
        Action::Peeked {
            request,
            conversation,
            result: Ok(CatchUp {
                messages: vec![inbound],
                complete: true,
                gaps: Vec::new(),
            }),
        },
    )
}

#[test]
fn new_inbound_elsewhere_rings_and_notifies_with_sanitised_text() {
    let mut s = loaded(&["a", "b"]);
    let effects = terminal(&peek_with(&mut s, "Where is \x1b[31mmy order?"));
    assert_eq!(
        effects,
        vec![
            TerminalEffect::Bell,
            TerminalEffect::Notify {
                title: "Person b".into(),
                body: "Where is ␛my order?".into()
            }
        ]
    );
}

#[test]
fn muted_or_private_notifications_hold_back() {
    let mut s = loaded(&["a", "b"]);
    cmd(&mut s, Command::Down);
    cmd(&mut s, Command::Mute);
    assert!(s.alerts.muted.contains(&ConversationId("b".into())));
    assert!(terminal(&peek_with(&mut s, "hi")).is_empty());

    let mut s = loaded(&["a", "b"]);
    cmd(&mut s, Command::MuteAll);
    assert!(terminal(&peek_with(&mut s, "hi")).is_empty());

    let mut s = loaded(&["a", "b"]);
    s.settings.notifications.show_text = false;
    s.settings.notifications.bell = false;
    let effects = terminal(&peek_with(&mut s, "secret text"));
    assert_eq!(
        effects,
        vec![TerminalEffect::Notify {
            title: "Person b".into(),
            body: "New message".into()
        }]
    );
}

/// In `--read-only` (a supervisor reviewing) notifications name who wrote but carry no message
/// text, unless `[notifications] text_in_read_only = true` says otherwise.
#[test]
fn read_only_notifications_carry_no_text_unless_configured() {
    let mut s = loaded(&["a", "b"]);
    s.settings.read_only = true;
    s.settings.notifications.bell = false;
    let effects = terminal(&peek_with(&mut s, "my card ends 4821"));
    assert_eq!(
        effects,
        vec![TerminalEffect::Notify {
            title: "Person b".into(),
            body: "New message".into()
        }]
    );

    let mut s = loaded(&["a", "b"]);
    s.settings.read_only = true;
    s.settings.notifications.bell = false;
    s.settings.notifications.text_in_read_only = true;
    let effects = terminal(&peek_with(&mut s, "my card ends 4821"));
    assert_eq!(
        effects,
        vec![TerminalEffect::Notify {
            title: "Person b".into(),
            body: "my card ends 4821".into()
        }]
    );
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Action {
    Action::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn the_mouse_selects_rows_and_scrolls_the_pane_under_it_when_on() {
    let mut s = opened(msgs(100, 300));
    update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), 5, 3));
    assert_eq!(
        s.inbox.list.selected,
        Some(ConversationId("c".into())),
        "off by default"
    );
    s.settings.mouse = true;
    // Row 1 is the first conversation's first line; rows 3-4 the second conversation.
    update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), 5, 3));
    assert_eq!(s.inbox.list.selected, Some(ConversationId("d".into())));
    assert_eq!(s.chrome.focus, Focus::List);
    update(&mut s, mouse(MouseEventKind::ScrollUp, 80, 10));
    assert!(
        matches!(s.open_thread().unwrap().scroll, Scroll::Anchor { .. }),
        "the wheel scrolled the thread"
    );
}

#[test]
fn a_reply_written_in_the_editor_keeps_only_what_was_typed() {
    let mut s = opened(msgs(0, 3));
    cmd(&mut s, Command::Reply);
    type_text(&mut s, "draft");
    let effects = terminal(&cmd(&mut s, Command::ExternalEditor));
    let [TerminalEffect::Edit { purpose, text }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(text.starts_with("#> Reply to Person c."));
    assert!(text.contains("#> [") && text.ends_with("draft"));
    let edited = format!("{text}\nsecond line\n#> another comment\n");
    update(
        &mut s,
        Action::Edited {
            purpose: purpose.clone(),
            result: Ok(edited),
        },
    );
    assert_eq!(
        s.inbox.drafts[&ConversationId("c".into())].body(),
        "draft\nsecond line"
    );
    assert_eq!(s.chrome.focus, Focus::Compose);
}

#[test]
fn invalid_json_from_the_editor_goes_back_with_the_error_then_stays_in_the_app() {
    let mut s = loaded(&["c"]);
    cmd(&mut s, Command::EditMetadata);
    let effects = terminal(&cmd(&mut s, Command::ExternalEditor));
    assert!(matches!(effects.as_slice(), [TerminalEffect::Edit { .. }]));
    let purpose = EditPurpose::Metadata(ConversationId("c".into()));
    for attempt in 1..=3 {
        let effects = terminal(&update(
            &mut s,
            Action::Edited {
                purpose: purpose.clone(),
                result: Ok("{ \"a\": ".into()),
            },
        ));
        if attempt < 3 {
            let [TerminalEffect::Edit { text, .. }] = effects.as_slice() else {
                panic!("{effects:?}")
            };
            assert!(text.starts_with("//! Not valid JSON"), "{text}");
        } else {
            assert!(
                effects.is_empty(),
                "after three tries the text stays in the app's editor"
            );
        }
    }
    let editor = s.inbox.editor.as_ref().unwrap();
    assert_eq!(editor.text.lines().join("\n"), "{ \"a\":");
    assert!(editor.parsed.is_err());
    // A valid file is taken as it is.
    update(
        &mut s,
        Action::Edited {
            purpose,
            result: Ok("//! note\n{\"a\": 1}\n".into()),
        },
    );
    assert_eq!(
        s.inbox
            .editor
            .as_ref()
            .unwrap()
            .parsed
            .as_ref()
            .unwrap()
            .field_text("a")
            .as_deref(),
        Some("1")
    );
}

fn ctrl_l(s: &mut AppState) -> Vec<TerminalEffect> {
    terminal(&update(
        s,
        Action::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)),
    ))
}

#[test]
fn ctrl_l_redraws_the_whole_screen_from_anywhere_and_changes_nothing_else() {
    // The list, the thread, the reply box (text entry), the find box and the help overlay.
    let mut list = loaded(&["c", "d"]);
    assert_eq!(ctrl_l(&mut list), vec![TerminalEffect::Redraw]);
    assert_eq!(list.chrome.focus, Focus::List);

    let mut writing = composing("hello");
    let before = writing.chrome.version;
    assert_eq!(ctrl_l(&mut writing), vec![TerminalEffect::Redraw]);
    assert_ne!(writing.chrome.version, before, "the key draws");
    let draft = writing.inbox.drafts.values().next().unwrap();
    assert_eq!(draft.text.lines().join("\n"), "hello", "no `l` typed");

    let mut finding = opened(msgs(0, 20));
    cmd(&mut finding, Command::Find);
    type_text(&mut finding, "bo");
    assert_eq!(ctrl_l(&mut finding), vec![TerminalEffect::Redraw]);
    assert!(finding.find.editing);
    assert_eq!(finding.find.input.as_str(), "bo");

    let mut help = loaded(&["c"]);
    cmd(&mut help, Command::Help);
    assert_eq!(ctrl_l(&mut help), vec![TerminalEffect::Redraw]);
    assert_eq!(help.chrome.overlay, Some(Overlay::Help), "help stays open");
}
