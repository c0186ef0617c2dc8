//! Calls: the list, one call with its transcript, and the live transcript stream (`providers.md`
//! section 1.6). The stream replays every stored turn on connect, then sends new ones; turns keep
//! their ids, so a reader that reconnects after a drop de-duplicates by id.

use std::time::Duration;

use serde_json::Value;

use super::wire;
use super::{AgentPhone, MAX_CONVERSATIONS_PER_PAGE};
use crate::api::error::ApiError;
use crate::api::http::segment;
use crate::api::lenient::{RecordKind, Skipped, same_id};
use crate::api::model::{Call, CallEvent, CallFilter, CallId, CallSummary, Page, StreamEnd};
use crate::api::sse::{SseDecoder, SseItem};

/// The server sends a heartbeat every 15 s; three missed ones mean the connection is dead.
pub const STREAM_IDLE: Duration = Duration::from_secs(45);
/// A stream is reopened at least this often (a call longer than this just reconnects).
const STREAM_LONGEST: Duration = Duration::from_secs(60 * 60);

impl AgentPhone {
    /// `GET /v1/calls` with the documented filters (`status`, `direction`, `type`, `search`).
    pub async fn list_calls(
        &self,
        offset: u64,
        limit: u32,
        filter: &CallFilter,
    ) -> Result<Page<CallSummary>, ApiError> {
        let limit = limit.clamp(1, MAX_CONVERSATIONS_PER_PAGE);
        let mut query = vec![("limit", limit.to_string()), ("offset", offset.to_string())];
        let filters = [
            ("status", &filter.status),
            ("direction", &filter.direction),
            ("type", &filter.kind),
            ("search", &filter.search),
        ];
        for (key, value) in filters {
            if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
                query.push((key, value.clone()));
            }
        }
        let url = self.http.url("/v1/calls", &query);
        let (what, kind) = ("a list of calls", RecordKind::Call);
        self.offset_list(url, what, kind, wire::call_summary, (offset, limit))
            .await
    }

    /// `GET /v1/calls/{id}`: the call with its transcript.
    pub async fn get_call(&self, id: &CallId) -> Result<Call, ApiError> {
        let url = self
            .http
            .url(&format!("/v1/calls/{}", segment(id.as_str())), &[]);
        let value: Value = self.http.get(url).await?;
        let (call, rows) = wire::call(&value)
            .and_then(|read| same_id(id.as_str(), read.0.summary.id.as_str()).map(|()| read))
            .map_err(|why| ApiError::unreadable("the call", &why, &value))?;
        self.http.skips().note(&rows.skipped);
        Ok(call)
    }

    /// Follows `GET /v1/calls/{id}/transcript/stream` until it ends, handing each event to
    /// `on_event` as it arrives. Silence longer than `idle` (no turn, no heartbeat) is a
    /// timeout. A `turn` whose JSON cannot be read is skipped, not fatal.
    pub async fn stream_transcript(
        &self,
        id: &CallId,
        idle: Duration,
        mut on_event: impl FnMut(CallEvent) + Send,
    ) -> Result<StreamEnd, ApiError> {
        let path = format!("/v1/calls/{}/transcript/stream", segment(id.as_str()));
        let mut stream = self
            .http
            .open_stream(self.http.url(&path, &[]), STREAM_LONGEST)
            .await?;
        let mut decoder = SseDecoder::default();
        while let Some(chunk) = stream.next_chunk(idle).await? {
            for item in decoder.push(&chunk) {
                let event = match item {
                    SseItem::Comment(_) => CallEvent::Heartbeat,
                    SseItem::Event { name, data, .. } => match name.as_str() {
                        "connected" => CallEvent::Connected,
                        "ended" => {
                            on_event(CallEvent::Ended);
                            return Ok(StreamEnd::Ended);
                        }
                        "turn" => match self.stream_turn(&data) {
                            Some(turns) => CallEvent::Turns(turns),
                            None => continue,
                        },
                        _ => continue,
                    },
                };
                on_event(event);
            }
        }
        Ok(StreamEnd::Closed)
    }

    /// One `turn` event's data as turns; an unreadable one is skipped and noted, not fatal.
    fn stream_turn(&self, data: &str) -> Option<Vec<crate::api::model::TranscriptTurn>> {
        let value: Value = serde_json::from_str(data).unwrap_or(Value::String(data.to_owned()));
        match wire::transcript_row(&value) {
            Ok(turns) => Some(turns),
            Err(why) => {
                let skipped = Skipped::new(RecordKind::Event, 0, &value, why);
                self.http.skips().note(&[skipped]);
                None
            }
        }
    }
}
