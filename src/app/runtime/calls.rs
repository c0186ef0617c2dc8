//! Calls effects: the calls list, one call, and the one live transcript stream being followed
//! (a new stream replaces the old; leaving the call aborts it).

use std::sync::{Mutex, PoisonError};

use super::{Runtime, guarded};
use crate::app::action::Action;
use crate::app::effect::Effect;

/// The stream task being followed, so it can be stopped.
#[derive(Debug, Default)]
pub struct StreamSlot(Mutex<Option<tokio::task::AbortHandle>>);

impl StreamSlot {
    fn replace(&self, task: Option<tokio::task::AbortHandle>) {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(old) = std::mem::replace(&mut *slot, task) {
            old.abort();
        }
    }
}

impl Runtime {
    /// Runs a calls effect; returns it back when it is not one.
    pub(super) fn run_calls(&self, effect: Effect) -> Option<Effect> {
        let client = self.client.clone();
        match effect {
            Effect::LoadCalls {
                request,
                offset,
                limit,
                filter,
            } => self.answer(async move {
                let result = guarded(client.list_calls(offset, limit, &filter)).await;
                Action::CallsLoaded {
                    request,
                    offset,
                    result,
                }
            }),
            Effect::LoadCall { request, call } => self.answer(async move {
                let result = guarded(client.get_call(&call)).await;
                Action::CallLoaded {
                    request,
                    call,
                    result,
                }
            }),
            Effect::StreamTranscript { request, call } => {
                let tx = self.tx.clone();
                let task = tokio::spawn(async move {
                    let events = tx.clone();
                    let follow = client.stream_transcript(&call, move |event| {
                        let _ = events.send(Action::CallStream { request, event });
                    });
                    let result = guarded(follow).await;
                    let _ = tx.send(Action::CallStreamClosed { request, result });
                });
                self.stream.replace(Some(task.abort_handle()));
            }
            Effect::StopStream => self.stream.replace(None),
            other => return Some(other),
        }
        None
    }
}
