//! Find in the open thread or transcript: `/` types a word, `n` goes to the next match further
//! back, `N` to the next one forward; matches are highlighted while the query is set.

/// The find box and where it stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Find {
    /// The query in effect (matches are highlighted); empty when there is none.
    pub query: String,
    /// The text being typed after `/`.
    pub input: super::LineInput,
    pub editing: bool,
    /// The match shown: a message id (thread) or a turn index (transcript).
    pub current: Option<FindAt>,
    /// No match is loaded further back: older pages are being loaded to look there.
    pub seeking: bool,
}

/// A match's place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindAt {
    Message(crate::api::MessageId),
    Turn(usize),
}
