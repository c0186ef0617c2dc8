//! Keeping drafts and edits across runs: restore what the last session left, write a snapshot
//! within a second of any change.

use std::collections::HashSet;

use ratatui_textarea::TextArea;

use super::{metadata, status};
use crate::api::ConversationId;
use crate::app::effect::Effect;
use crate::app::state::{AppState, MetadataEditor, PendingSend, SendState};
use crate::store::SavedWork;

/// Writes a snapshot when the work changed since the last one (called every tick).
pub fn persist(state: &mut AppState) -> Vec<Effect> {
    if !state.work.work_loaded {
        return Vec::new();
    }
    let work = state.saved_work();
    if work == state.work.saved {
        return Vec::new();
    }
    state.work.saved = work.clone();
    vec![Effect::SaveWork(work)]
}

/// Restores the last session's drafts and edit, never over something typed already.
pub fn loaded(state: &mut AppState, result: Result<SavedWork, String>) -> Vec<Effect> {
    state.work.work_loaded = true;
    let work = match result {
        Ok(work) => work,
        Err(error) => {
            status::notify(
                state,
                &format!("Saved drafts could not be restored: {error}"),
                true,
            );
            return Vec::new();
        }
    };
    let mut drafts = 0;
    for saved in &work.drafts {
        let request = state.request_id();
        let now = state.now;
        let draft = state
            .inbox
            .drafts
            .entry(ConversationId(saved.conversation.clone()))
            .or_default();
        if !draft.is_empty() || draft.sending.is_some() {
            continue;
        }
        draft.text = TextArea::new(saved.text.lines().map(str::to_owned).collect());
        draft.private = saved.private;
        // The app stopped before the send's outcome was known: check the thread, never resend.
        draft.sending = saved.unsettled_since.map(|started_at| PendingSend {
            request,
            body: saved.text.clone(),
            started_at,
            state: SendState::Unknown {
                reason: "the app stopped before the send finished".into(),
                check: None,
                check_at: now,
                checks: 0,
            },
            prior: HashSet::new(),
        });
        drafts += 1;
    }
    let mut edits = 0;
    if let Some(edit) = work.edit.clone()
        && state.inbox.editor.is_none()
    {
        let text = TextArea::new(edit.text.lines().map(str::to_owned).collect());
        // Every server answer from now on is news to an edit from the last session.
        state.inbox.editor = Some(MetadataEditor::new(
            ConversationId(edit.conversation),
            edit.base,
            text,
            metadata::parse_metadata(&edit.text),
            crate::app::state::Focus::List,
            crate::app::paging::RequestId(0),
        ));
        edits += 1;
    }
    state.work.saved = work;
    let mut parts = Vec::new();
    if drafts > 0 {
        parts.push(format!(
            "{drafts} reply draft{}",
            if drafts == 1 { "" } else { "s" }
        ));
    }
    if edits > 0 {
        parts.push("a metadata edit".to_owned());
    }
    if !parts.is_empty() {
        let text = format!("Restored {} from the last session", parts.join(" and "));
        status::notify(state, &text, false);
    }
    Vec::new()
}

pub fn saved(state: &mut AppState, result: Result<(), String>) -> Vec<Effect> {
    if let Err(error) = result {
        // Forget the snapshot so the next tick tries again.
        state.work.saved = SavedWork::default();
        status::notify(
            state,
            &format!("Drafts could not be saved to disk: {error}"),
            true,
        );
    }
    Vec::new()
}
