//! The metadata editor: JSON validated as you type, saves that never clobber silently.
//!
//! Saving replaces the whole object (`null` clears it). Before saving, the conversation is read
//! again; if its metadata changed since the edit began, the user chooses: overwrite or reload.
//! While the editor is open it follows the server's copy (`server`): an untouched editor
//! reloads, an edited one says so and offers the difference.

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{Input, TextArea};
use serde_json::Value;

mod server;

pub use self::server::{copy as server_copy, dialog_command, reload};

use super::status;
use crate::api::{ApiError, ConversationDetail, ConversationId, Metadata};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::RequestId;
use crate::app::state::{AppState, EditorPhase, Focus, JsonError, MetadataEditor, Overlay};

/// Parses editor text: a JSON object, or nothing at all (which clears the metadata).
pub fn parse_metadata(text: &str) -> Result<Metadata, JsonError> {
    if text.trim().is_empty() {
        return Ok(Metadata(None));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(Metadata(Some(map))),
        Ok(_) => Err(JsonError {
            line: 1,
            column: 1,
            message: "metadata must be a JSON object ({ … }) or empty to clear it".into(),
        }),
        Err(e) => {
            // serde's text ends with its own " at line L column C"; we show those separately.
            let text = e.to_string();
            let message = text
                .rfind(" at line ")
                .map_or(text.as_str(), |at| &text[..at]);
            Err(JsonError {
                line: e.line(),
                column: e.column(),
                message: message.to_owned(),
            })
        }
    }
}

/// The editor text for metadata: pretty JSON with invisible characters escaped (same value).
fn text_area(metadata: &Metadata) -> TextArea<'static> {
    let text = crate::text::escape_json_invisibles(&metadata.to_pretty_json());
    TextArea::new(text.lines().map(str::to_owned).collect())
}

/// Opens the editor on a conversation's metadata.
pub fn open(state: &mut AppState, id: &ConversationId) -> Vec<Effect> {
    let Some(conversation) = state.conversation(id) else {
        return Vec::new();
    };
    if !conversation.capabilities.edit_metadata {
        status::notify(state, "This provider does not allow editing metadata", true);
        return Vec::new();
    }
    let keep = state
        .inbox
        .editor
        .as_ref()
        .is_some_and(|e| &e.conversation == id);
    if !keep {
        if state
            .inbox
            .editor
            .as_ref()
            .is_some_and(MetadataEditor::is_dirty)
        {
            status::notify(state, "Save or close the open metadata edit first", true);
            state.chrome.focus = Focus::Editor;
            return Vec::new();
        }
        let base = conversation.metadata.clone();
        let return_to = match state.chrome.focus {
            Focus::Editor => Focus::List,
            other => other,
        };
        // Answers to requests made before now may be older than the row the editor opens on.
        let seen = state.request_id();
        state.inbox.editor = Some(MetadataEditor::new(
            id.clone(),
            base.clone(),
            text_area(&base),
            Ok(base),
            return_to,
            seen,
        ));
    }
    state.chrome.focus = Focus::Editor;
    Vec::new()
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    match command {
        Command::Save => save(state),
        Command::Format => {
            if let Some(editor) = state.inbox.editor.as_mut()
                && let Ok(parsed) = &editor.parsed
            {
                editor.text = text_area(parsed);
            }
            Vec::new()
        }
        Command::Back => {
            if state
                .inbox
                .editor
                .as_ref()
                .is_some_and(MetadataEditor::is_dirty)
            {
                state.chrome.overlay = Some(Overlay::ConfirmDiscard);
            } else {
                close(state);
            }
            Vec::new()
        }
        Command::Diff => server::compare(state, false),
        Command::Reload => server::reload_asked(state),
        _ => Vec::new(),
    }
}

/// Closes the editor, dropping any edit, and goes back to the pane it was opened from (so the
/// next `e` edits the same conversation again).
pub fn close(state: &mut AppState) {
    let back = state
        .inbox
        .editor
        .take()
        .map_or(Focus::List, |e| e.return_to);
    state.chrome.focus = match back {
        Focus::Thread | Focus::Compose if state.inbox.open.is_none() => Focus::List,
        Focus::Editor => Focus::List,
        other => other,
    };
}

pub fn input(state: &mut AppState, key: &KeyEvent) -> Vec<Effect> {
    let input = Input::from(*key);
    edit(state, |text| text.input(input))
}

pub fn paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    let clean = crate::text::clean_paste(text);
    edit(state, |area| area.insert_str(&clean))
}

/// Why edits do nothing in read-only mode.
const READ_ONLY_EDIT: &str = "Read-only mode (--read-only): metadata can be read, not changed";

fn edit(state: &mut AppState, apply: impl FnOnce(&mut TextArea<'static>) -> bool) -> Vec<Effect> {
    if state.settings.read_only {
        status::notify(state, READ_ONLY_EDIT, true);
        return Vec::new();
    }
    let Some(editor) = state.inbox.editor.as_mut() else {
        return Vec::new();
    };
    if !matches!(editor.phase, EditorPhase::Editing) {
        return Vec::new();
    }
    if apply(&mut editor.text) {
        editor.parsed = parse_metadata(&editor.text.lines().join("\n"));
        editor.error = None;
        editor.saved = false;
        editor.reloaded = false;
    }
    Vec::new()
}

fn save(state: &mut AppState) -> Vec<Effect> {
    if state.settings.read_only {
        status::notify(state, READ_ONLY_EDIT, true);
        return Vec::new();
    }
    let request = state.request_id();
    let Some(editor) = state.inbox.editor.as_mut() else {
        return Vec::new();
    };
    if !matches!(editor.phase, EditorPhase::Editing) {
        return Vec::new();
    }
    let problem = match &editor.parsed {
        Err(e) => Some(format!(
            "Fix the JSON first (line {}, column {}): {}",
            e.line, e.column, e.message
        )),
        Ok(_) if !editor.is_dirty() => {
            Some("Nothing to save: the metadata is unchanged".to_owned())
        }
        Ok(_) => None,
    };
    if let Some(problem) = problem {
        status::notify(state, &problem, true);
        return Vec::new();
    }
    editor.phase = EditorPhase::Checking(request);
    vec![Effect::FetchConversation {
        request,
        conversation: editor.conversation.clone(),
    }]
}

/// The fresh copy arrived: save when nobody else changed the metadata, else ask.
pub fn fetched(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    result: Result<ConversationDetail, ApiError>,
) -> Vec<Effect> {
    let next = state.request_id();
    let Some(editor) = state.inbox.editor.as_mut() else {
        return Vec::new();
    };
    if editor.phase != EditorPhase::Checking(request) || &editor.conversation != conversation {
        // Not the save's check, but a copy of the server's all the same.
        let copy = result.ok().map(|d| d.conversation.metadata);
        return server::copy(state, request, conversation, copy);
    }
    editor.seen = editor.seen.max(request);
    let detail = match result {
        Ok(detail) => detail,
        Err(error) => {
            editor.phase = EditorPhase::Editing;
            editor.error = Some(format!(
                "Not saved: couldn't check for changes first: {error}"
            ));
            status::failed(state, &error, "Couldn't check the metadata before saving");
            return Vec::new();
        }
    };
    let server = detail.conversation.metadata.clone();
    if server != editor.base {
        editor.phase = EditorPhase::Conflict { server };
        editor.diff_scroll = 0;
        // The dialog says what happened; the status bar shows its keys, not an older notice.
        status::clear(state);
        return Vec::new();
    }
    let Ok(metadata) = editor.parsed.clone() else {
        editor.phase = EditorPhase::Editing;
        return Vec::new();
    };
    editor.phase = EditorPhase::Saving(next);
    vec![Effect::SaveMetadata {
        request: next,
        conversation: conversation.clone(),
        metadata,
    }]
}

pub fn saved(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    result: Result<ConversationDetail, ApiError>,
) -> Vec<Effect> {
    let fresh = state.request_id();
    let Some(editor) = state.inbox.editor.as_mut() else {
        return Vec::new();
    };
    if editor.phase != EditorPhase::Saving(request) {
        return Vec::new();
    }
    editor.phase = EditorPhase::Editing;
    match result {
        Ok(detail) => {
            let saved = detail.conversation.metadata;
            editor.base = saved.clone();
            editor.error = None;
            editor.saved = true;
            editor.reloaded = false;
            editor.newer = None;
            // The save's answer is the server's copy now; answers to requests sent before it
            // may be older.
            editor.seen = fresh;
            if let Some(row) = state
                .inbox
                .list
                .items
                .iter_mut()
                .find(|c| &c.id == conversation)
            {
                row.metadata = saved;
                let id = row.id.clone();
                state.reindex(&[id]);
            }
            status::succeeded(state);
            status::notify(
                state,
                "Metadata saved (the whole object was replaced)",
                false,
            );
        }
        Err(error) => {
            editor.error = Some(format!("Not saved: {error}"));
            status::failed(state, &error, "Couldn't save the metadata");
        }
    }
    Vec::new()
}
