//! Writing a reply or metadata JSON in `$VISUAL` / `$EDITOR`.
//!
//! A reply file starts with the last messages as `#>` lines, which are removed on return. Invalid
//! JSON brings the editor back with the error at the top (`//!` lines, also removed); after three
//! tries the text lands in the built-in editor, which shows the error. Nothing typed is lost.

use std::fmt::Write as _;

use super::{metadata, status};
use crate::api::{ConversationId, Direction};
use crate::app::effect::{EditPurpose, Effect, TerminalEffect};
use crate::app::state::{AppState, EditorPhase, Focus};
use crate::app::view::wrap::truncate;
use crate::text::sanitize_line;

/// Lines starting with this in a reply file are context, removed on return.
pub const REPLY_COMMENT: &str = "#>";
/// Lines starting with this in a metadata file are error notes, removed on return.
pub const JSON_COMMENT: &str = "//!";
/// Context messages put above a reply.
const CONTEXT_MESSAGES: usize = 10;
/// Tries at valid JSON in the external editor before falling back to the built-in one.
const MAX_JSON_TRIES: u8 = 3;

/// `ctrl-e` (reply box, metadata editor) and `E` (thread).
pub fn start(state: &mut AppState) -> Vec<Effect> {
    if state.chrome.focus != Focus::Editor {
        return start_reply(state);
    }
    if state.inbox.editor.is_none() {
        return Vec::new();
    }
    if state.settings.read_only {
        status::notify(
            state,
            "Read-only mode (--read-only): metadata can be read, not changed",
            true,
        );
        return Vec::new();
    }
    let Some(editor) = state.inbox.editor.as_mut() else {
        return Vec::new();
    };
    // Out in $EDITOR the text counts as an edit: a server change must not reload it meanwhile.
    editor.away = true;
    let purpose = EditPurpose::Metadata(editor.conversation.clone());
    let text = editor.text.lines().join("\n");
    state.work.external_tries = 0;
    vec![Effect::Terminal(TerminalEffect::Edit { purpose, text })]
}

/// Opens the reply box (when replies are allowed) and hands its draft to the editor.
fn start_reply(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.inbox.open.clone() else {
        return Vec::new();
    };
    let mut effects = super::compose::start(state);
    if state.chrome.focus != Focus::Compose {
        return effects;
    }
    let body = state
        .inbox
        .drafts
        .get(&id)
        .map(crate::app::state::Draft::body)
        .unwrap_or_default();
    let text = format!("{}{body}", reply_context(state, &id));
    effects.push(Effect::Terminal(TerminalEffect::Edit {
        purpose: EditPurpose::Reply(id),
        text,
    }));
    effects
}

/// The `#>` lines above a reply: who it goes to and the last messages.
fn reply_context(state: &AppState, id: &ConversationId) -> String {
    let name = state
        .conversation(id)
        .map_or_else(|| id.to_string(), |c| state.display_name(c));
    let mut text = format!(
        "{REPLY_COMMENT} Reply to {}. Lines starting with {REPLY_COMMENT} are removed.\n",
        sanitize_line(&name)
    );
    if let Some(thread) = state.inbox.threads.get(id) {
        let start = thread.messages.len().saturating_sub(CONTEXT_MESSAGES);
        for m in &thread.messages[start..] {
            let who = if m.direction == Direction::Inbound {
                "them"
            } else {
                "us"
            };
            let clock =
                crate::app::view::time::clock(m.sent_at, state.tz, state.settings.time_format);
            let body = truncate(&sanitize_line(&m.body), 200);
            let _ = writeln!(text, "{REPLY_COMMENT} [{clock}] {who}: {body}");
        }
    }
    text
}

/// Drops the comment lines a file was given.
fn strip(text: &str, marker: &str) -> String {
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(marker)).collect();
    kept.join("\n").trim_end().to_owned()
}

/// The editor finished.
pub fn finished(
    state: &mut AppState,
    purpose: EditPurpose,
    result: Result<String, String>,
) -> Vec<Effect> {
    if let (EditPurpose::Metadata(_), Some(editor)) = (&purpose, state.inbox.editor.as_mut()) {
        editor.away = false;
    }
    let text = match result {
        Ok(text) => text,
        Err(error) => {
            status::notify(state, &format!("The editor could not run: {error}"), true);
            return Vec::new();
        }
    };
    match purpose {
        EditPurpose::Reply(id) => {
            let body = strip(&text, REPLY_COMMENT);
            let draft = state.inbox.drafts.entry(id).or_default();
            if draft.sending.is_some() {
                status::notify(
                    state,
                    "The reply box is locked until the send is settled",
                    true,
                );
                return Vec::new();
            }
            draft.text = ratatui_textarea::TextArea::new(body.lines().map(str::to_owned).collect());
            state.chrome.focus = Focus::Compose;
            Vec::new()
        }
        EditPurpose::Metadata(id) => metadata_edited(state, id, &text),
    }
}

fn metadata_edited(state: &mut AppState, id: ConversationId, text: &str) -> Vec<Effect> {
    let json = strip(text, JSON_COMMENT);
    let parsed = metadata::parse_metadata(&json);
    let Some(editor) = state
        .inbox
        .editor
        .as_mut()
        .filter(|e| e.conversation == id && e.phase == EditorPhase::Editing)
    else {
        status::notify(
            state,
            "The metadata edit was closed meanwhile; the editor's text was not used",
            true,
        );
        return Vec::new();
    };
    editor.text = ratatui_textarea::TextArea::new(json.lines().map(str::to_owned).collect());
    editor.parsed.clone_from(&parsed);
    editor.saved = false;
    editor.reloaded = false;
    state.chrome.focus = Focus::Editor;
    let Err(error) = parsed else {
        return Vec::new();
    };
    state.work.external_tries += 1;
    if state.work.external_tries >= MAX_JSON_TRIES {
        status::notify(
            state,
            "Still not valid JSON: fix it here (the error is shown below)",
            true,
        );
        return Vec::new();
    }
    if let Some(editor) = state.inbox.editor.as_mut() {
        editor.away = true;
    }
    let note = format!(
        "{JSON_COMMENT} Not valid JSON: line {}, column {} (counting below these notes): {}\n{JSON_COMMENT} Fix it and save; these lines are removed.\n",
        error.line, error.column, error.message
    );
    vec![Effect::Terminal(TerminalEffect::Edit {
        purpose: EditPurpose::Metadata(id),
        text: format!("{note}{json}"),
    })]
}
