//! AI-session facts (Anyreach): what a transcript turn carries beyond its text, and the facts of a
//! session that the side pane shows. Fields a token's scope hides are `Scoped::Hidden`, which is
//! different from a field that is simply empty.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::basics::Direction;

/// A value the provider may leave out because of the token's scope.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Scoped<T> {
    Value(T),
    /// The provider has nothing here.
    #[default]
    Empty,
    /// The token's scope does not allow reading it.
    Hidden,
}

impl<T> Scoped<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// What kind of transcript item a message stands for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TurnKind {
    /// A tool the agent called, paired with its output when it came.
    ToolCall {
        name: String,
        arguments: String,
        output: Option<String>,
        is_error: bool,
    },
    /// The conversation was handed to another agent.
    Handoff { to: Option<String> },
}

/// Per-turn facts of an AI transcript.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct TurnInfo {
    /// `None` for a plain spoken or typed turn.
    pub kind: Option<TurnKind>,
    /// The speaker was cut off.
    pub interrupted: bool,
    /// End-to-end latency of an agent turn, in milliseconds.
    pub latency_ms: Option<u32>,
    /// Speech-to-text confidence of a user turn (0–1).
    pub confidence: Option<f32>,
}

/// The facts of an AI session, shown read-only in the side pane.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct SessionFacts {
    /// `completed`, `in_progress`, … verbatim.
    pub status: String,
    /// `telephone`, `webrtc`, `email`, `text`.
    pub channel: Option<String>,
    pub direction: Option<Direction>,
    pub duration_seconds: Option<u64>,
    pub user_turns: Option<u64>,
    pub agent_name: Scoped<String>,
    pub summary: Scoped<String>,
    pub initial_context: Scoped<String>,
    pub custom_metadata: Scoped<Map<String, Value>>,
    /// Whether the transcript itself is readable with this token.
    pub transcript_hidden: bool,
}
