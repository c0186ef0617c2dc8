//! Your metadata edit against the server's copy, key by key: what the conflict dialog and the
//! diff (`ctrl-d`) show. The lines are measured here, so the reducer scrolls by the same lines
//! the dialog draws (STYLE.md L3).
//!
//! Nested objects are compared key by key and named by path (`customer.tier`); arrays and
//! scalars are compared whole. Each difference says what saving yours would do to the server's
//! copy (add, remove or change the key) and, when the server's copy moved since the edit began,
//! whose edit it is.

use std::collections::BTreeMap;

use ratatui::layout::Rect;
use serde_json::{Map, Value};

use super::wrap::wrap;
use crate::api::Metadata;
use crate::app::state::{EditorPhase, MetadataEditor};
use crate::text::{escape_json_invisibles, sanitize_line};

/// What saving yours over the server's copy does to one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Only in yours.
    Added,
    /// Only on the server.
    Removed,
    /// In both, with different values.
    Changed,
}

/// Whose edit a difference is, measured from the copy the edit started from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whose {
    Yours,
    Theirs,
    Both,
}

/// One key that differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyChange {
    /// `assignee`, `customer.tier`, `labels["odd key"]`: sanitised for the screen.
    pub path: String,
    pub change: Change,
    /// The values as compact JSON (invisible characters escaped, sanitised).
    pub yours: Option<String>,
    pub theirs: Option<String>,
    /// None when the server's copy is still the one the edit started from.
    pub whose: Option<Whose>,
}

/// The whole difference.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Difference {
    pub changes: Vec<KeyChange>,
    /// Keys with the same value on both sides.
    pub same: usize,
    /// Yours is empty: saving clears the metadata (null).
    pub yours_clears: bool,
    /// The server's copy has no metadata at all (null).
    pub theirs_none: bool,
}

impl Difference {
    fn count(&self, change: Change) -> usize {
        self.changes.iter().filter(|c| c.change == change).count()
    }
}

/// Yours against theirs, key by key; `base` (what the edit started from) tells whose each
/// difference is.
pub fn difference(yours: &Metadata, theirs: &Metadata, base: &Metadata) -> Difference {
    let (mine, server, start) = (flat(yours), flat(theirs), flat(base));
    let attribute = theirs != base;
    let mut paths: Vec<&String> = mine.keys().chain(server.keys()).collect();
    paths.sort();
    paths.dedup();
    let mut changes = Vec::new();
    let mut same = 0;
    for path in paths {
        let (y, t) = (mine.get(path).copied(), server.get(path).copied());
        let change = match (y, t) {
            (Some(a), Some(b)) if a == b => {
                same += 1;
                continue;
            }
            (Some(_), Some(_)) => Change::Changed,
            (Some(_), None) => Change::Added,
            (None, _) => Change::Removed,
        };
        let whose = attribute.then(|| {
            let b = start.get(path).copied();
            if y == b {
                Whose::Theirs
            } else if t == b {
                Whose::Yours
            } else {
                Whose::Both
            }
        });
        changes.push(KeyChange {
            path: sanitize_line(&escape_json_invisibles(path)),
            change,
            yours: y.map(shown),
            theirs: t.map(shown),
            whose,
        });
    }
    Difference {
        changes,
        same,
        yours_clears: yours.is_none(),
        theirs_none: theirs.is_none(),
    }
}

/// Every leaf of the object by its path (an empty object is a leaf of its own).
fn flat(metadata: &Metadata) -> BTreeMap<String, &Value> {
    let mut out = BTreeMap::new();
    if let Some(map) = &metadata.0 {
        flatten("", map, &mut out, 0);
    }
    out
}

/// Objects nested deeper than this are compared whole (bounded recursion).
const MAX_DEPTH: usize = 32;

fn flatten<'a>(
    prefix: &str,
    map: &'a Map<String, Value>,
    out: &mut BTreeMap<String, &'a Value>,
    depth: usize,
) {
    for (key, value) in map {
        let path = join(prefix, key);
        match value {
            Value::Object(inner) if !inner.is_empty() && depth < MAX_DEPTH => {
                flatten(&path, inner, out, depth + 1);
            }
            leaf => {
                out.insert(path, leaf);
            }
        }
    }
}

/// `a.b` for plain keys, `a["odd key"]` for the rest.
fn join(prefix: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (plain, prefix.is_empty()) {
        (true, true) => key.to_owned(),
        (true, false) => format!("{prefix}.{key}"),
        (false, _) => format!("{prefix}[{}]", Value::String(key.to_owned())),
    }
}

fn shown(value: &Value) -> String {
    sanitize_line(&escape_json_invisibles(&value.to_string()))
}

/// How a line of the dialog is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Summary,
    Legend,
    Added,
    Removed,
    Changed,
    /// A value line: `label` is "yours" or "server".
    Value,
}

/// One line of the dialog: a label column (empty for headings) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub tone: Tone,
    pub label: &'static str,
    pub text: String,
}

/// The label column of value lines.
const LABEL: usize = 12;

/// The fixed lines above the scrolled body: the summary and the legend.
pub fn header(difference: &Difference, width: usize) -> Vec<DiffLine> {
    let mut counts = Vec::new();
    for (change, word) in [
        (Change::Changed, "changed"),
        (Change::Added, "added"),
        (Change::Removed, "removed"),
    ] {
        let n = difference.count(change);
        if n > 0 {
            counts.push(format!("{n} {word}"));
        }
    }
    let mut summary = if counts.is_empty() {
        "No difference: yours is the server's copy".to_owned()
    } else {
        counts.push(format!("{} the same", difference.same));
        counts.join(" · ")
    };
    if difference.yours_clears {
        summary.push_str(" · yours clears the metadata (null)");
    }
    if difference.theirs_none {
        summary.push_str(" · the server has none (null)");
    }
    let legend = "+ added  - removed  ~ changed: what saving yours does to the server's copy";
    [(Tone::Summary, summary), (Tone::Legend, legend.to_owned())]
        .into_iter()
        .flat_map(|(tone, text)| {
            wrap(&text, width).into_iter().map(move |text| DiffLine {
                tone,
                label: "",
                text,
            })
        })
        .collect()
}

/// What saving yours does to a key and, when the server's copy moved since the edit began,
/// who did what to it.
fn what(change: Change, whose: Option<Whose>) -> &'static str {
    match (change, whose) {
        (Change::Added, None) => "added (only in yours)",
        (Change::Added, Some(Whose::Yours)) => "added by you",
        (Change::Added, Some(Whose::Theirs)) => "only in yours: they removed it",
        (Change::Added, Some(Whose::Both)) => "only in yours: you changed it, they removed it",
        (Change::Removed, None) => "removed (only on the server)",
        (Change::Removed, Some(Whose::Yours)) => "removed by you",
        (Change::Removed, Some(Whose::Theirs)) => "only on the server: they added it",
        (Change::Removed, Some(Whose::Both)) => {
            "only on the server: you removed it, they changed it"
        }
        (Change::Changed, None) => "changed",
        (Change::Changed, Some(Whose::Yours)) => "changed by you",
        (Change::Changed, Some(Whose::Theirs)) => "changed by them",
        (Change::Changed, Some(Whose::Both)) => "changed by both",
    }
}

/// The scrolled body: each differing key, then its values.
pub fn body(difference: &Difference, width: usize) -> Vec<DiffLine> {
    let mut lines = Vec::new();
    for change in &difference.changes {
        let (tone, marker) = match change.change {
            Change::Added => (Tone::Added, '+'),
            Change::Removed => (Tone::Removed, '-'),
            Change::Changed => (Tone::Changed, '~'),
        };
        let heading = format!(
            "{marker} {} · {}",
            change.path,
            what(change.change, change.whose)
        );
        lines.extend(wrap(&heading, width).into_iter().map(|text| DiffLine {
            tone,
            label: "",
            text,
        }));
        for (label, value) in [
            ("    yours   ", &change.yours),
            ("    server  ", &change.theirs),
        ] {
            let Some(value) = value else { continue };
            for (i, text) in wrap(value, width.saturating_sub(LABEL))
                .into_iter()
                .enumerate()
            {
                lines.push(DiffLine {
                    tone: Tone::Value,
                    label: if i == 0 { label } else { "            " },
                    text,
                });
            }
        }
    }
    lines
}

/// The difference an editor's dialog shows, while it is up (and the edit is valid JSON).
pub fn for_editor(editor: &MetadataEditor) -> Option<Difference> {
    let theirs = editor.theirs()?;
    let yours = editor.parsed.as_ref().ok()?;
    Some(difference(yours, theirs, &editor.base))
}

/// The dialog as drawn: where, its fixed header, its body, and how many body lines show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dialog {
    pub area: Rect,
    pub header: Vec<DiffLine>,
    pub body: Vec<DiffLine>,
    pub body_height: usize,
}

impl Dialog {
    /// The furthest the body can scroll.
    pub fn max_scroll(&self) -> usize {
        self.body.len().saturating_sub(self.body_height)
    }
}

/// The dialog of an editor on a screen of `screen`: at most 110 columns wide, as tall as its
/// lines need and the screen allows (the header, a blank line, the body, the borders).
pub fn dialog(editor: &MetadataEditor, screen: Rect) -> Option<Dialog> {
    let difference = for_editor(editor)?;
    let width = screen.width.saturating_sub(4).min(110);
    let text_width = usize::from(width.saturating_sub(2));
    let header = header(&difference, text_width);
    let body = body(&difference, text_width);
    let wanted = header.len() + body.len().max(1) + 3;
    let height = screen
        .height
        .saturating_sub(2)
        .min(40)
        .min(u16::try_from(wanted).unwrap_or(u16::MAX));
    let body_height = usize::from(height.saturating_sub(2)).saturating_sub(header.len() + 1);
    let area = Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + (screen.height - height) / 2,
        width,
        height,
    };
    Some(Dialog {
        area,
        header,
        body,
        body_height,
    })
}

/// True when the dialog is the one asking before a reload.
pub fn asks_reload(editor: &MetadataEditor) -> bool {
    editor.phase == EditorPhase::Comparing { reload: true }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn meta(value: &Value) -> Metadata {
        Metadata(value.as_object().cloned())
    }

    #[test]
    fn differences_are_key_by_key_with_paths_and_whose_edit() {
        let base =
            meta(&json!({"assignee": "dana", "status": "open", "customer": {"tier": "gold"}}));
        let yours = meta(
            &json!({"assignee": "dana", "status": "done", "note": "call back",
            "customer": {"tier": "gold"}}),
        );
        let theirs = meta(
            &json!({"assignee": "lee", "status": "open", "priority": "high",
            "customer": {"tier": "platinum"}}),
        );
        let d = difference(&yours, &theirs, &base);
        let rows: Vec<(&str, Change, Option<Whose>)> = d
            .changes
            .iter()
            .map(|c| (c.path.as_str(), c.change, c.whose))
            .collect();
        assert_eq!(
            rows,
            [
                ("assignee", Change::Changed, Some(Whose::Theirs)),
                ("customer.tier", Change::Changed, Some(Whose::Theirs)),
                ("note", Change::Added, Some(Whose::Yours)),
                ("priority", Change::Removed, Some(Whose::Theirs)),
                ("status", Change::Changed, Some(Whose::Yours)),
            ]
        );
        assert_eq!(d.same, 0);
        assert_eq!(d.changes[0].yours.as_deref(), Some("\"dana\""));
        assert_eq!(d.changes[0].theirs.as_deref(), Some("\"lee\""));
    }

    #[test]
    fn odd_keys_are_quoted_and_nothing_raw_reaches_the_screen() {
        let theirs = meta(&json!({"a.b": 1, "x": {"\u{1b}[31m": "\u{202e}v"}}));
        let d = difference(&Metadata(None), &theirs, &theirs);
        let paths: Vec<&str> = d.changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths[0], "[\"a.b\"]");
        for c in &d.changes {
            let text = format!("{}{:?}", c.path, c.theirs);
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_control() || crate::text::is_bidi_control(c)),
                "{text:?}"
            );
        }
        assert!(d.yours_clears);
        assert!(d.changes.iter().all(|c| c.whose.is_none()));
    }

    #[test]
    fn long_values_wrap_under_their_label() {
        let yours = meta(&json!({"note": "word ".repeat(40)}));
        let d = difference(&yours, &Metadata(None), &Metadata(None));
        let lines = body(&d, 40);
        assert!(lines.len() > 3, "{lines:?}");
        assert!(lines.iter().all(|l| l.label.len() + l.text.len() <= 40));
    }
}
