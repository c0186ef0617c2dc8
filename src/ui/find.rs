//! Find highlighting and the find box line, shared by the thread and transcript panes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::state::AppState;
use crate::text::sanitize_line;

pub use crate::app::view::theme::highlight;

/// The find box (`/word▏`) or the query in effect with its keys, on the pane's last line.
pub fn render_box(frame: &mut Frame, inner: Rect, state: &AppState, theme: &Theme) {
    let find = &state.find;
    let line = if find.editing {
        let cells = usize::from(inner.width).saturating_sub(1);
        let mut spans = vec![Span::styled("/", theme.key)];
        spans.extend(super::line_input::spans(
            &find.input,
            cells,
            theme.key,
            theme.key,
        ));
        Line::from(spans)
    } else if !find.query.is_empty() {
        let back = state.keymap.first_key(
            crate::keymap::Mode::Thread,
            crate::app::action::Command::FindNext,
        );
        let forward = state.keymap.first_key(
            crate::keymap::Mode::Thread,
            crate::app::action::Command::FindPrev,
        );
        let text = format!(
            "/{} · {} further back · {} forward{}",
            sanitize_line(&find.query),
            back.unwrap_or_default(),
            forward.unwrap_or_default(),
            if find.seeking {
                " · loading older…"
            } else {
                ""
            }
        );
        Line::styled(text, theme.key)
    } else {
        return;
    };
    let row = Rect {
        y: inner.bottom().saturating_sub(1),
        height: 1,
        ..inner
    };
    frame.render_widget(Paragraph::new(line), row);
}
