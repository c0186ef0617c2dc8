//! Render: reads `&AppState`, writes only `&mut ViewState` (scroll offsets). One file per pane.

pub use crate::app::view::{layout, theme, time, wrap};

pub mod calls;
pub mod compose;
pub mod conversation_list;
pub mod find;
pub mod help;
pub mod line_input;
pub mod metadata_editor;
pub mod search;
pub mod session;
pub mod status_bar;
pub mod thread;
pub mod transcript;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use self::theme::Theme;
use crate::app::state::{AppState, Overlay};

/// What render remembers between frames: list scroll and the theme.
#[derive(Clone, Debug, Default)]
pub struct ViewState {
    pub theme: Theme,
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, state: &AppState, view: &mut ViewState) {
    let area = frame.area();
    let panes = layout::panes(state, area);
    let theme = view.theme.clone();
    if let Some(tabs) = panes.tabs {
        render_tabs(frame, tabs, state, &theme);
    }
    let calls = state.chrome.view == crate::app::state::View::Calls;
    if let Some(list) = panes.list {
        if calls {
            self::calls::render(frame, list, state, &theme);
        } else {
            conversation_list::render(frame, list, state, view);
        }
    }
    if let Some(thread_area) = panes.thread {
        if calls {
            transcript::render(frame, thread_area, state, &theme);
        } else {
            thread::render(frame, thread_area, state, &theme);
        }
    }
    if let Some(compose_area) = panes.compose {
        compose::render(frame, compose_area, state, &theme);
    }
    if let Some(meta) = panes.meta {
        if panes.meta_popup {
            frame.render_widget(Clear, meta);
        }
        if calls {
            transcript::render_facts(frame, meta, state, &theme);
        } else {
            metadata_editor::render(frame, meta, state, &theme);
        }
    }
    status_bar::render(frame, panes.status, state, &theme);
    metadata_editor::render_diff(frame, area, state, &theme);
    render_overlay(frame, area, state, &theme);
}

/// The modal on top, if any.
fn render_overlay(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    match &state.chrome.overlay {
        Some(Overlay::Help) => help::render(frame, area, state, theme),
        Some(Overlay::ConfirmQuit) => {
            let mut lines = vec![Line::from(
                "Not sent or saved yet (kept on disk, restored next start):",
            )];
            lines.extend(
                state
                    .unsaved_work()
                    .into_iter()
                    .map(|w| Line::from(format!("  • {w}"))),
            );
            lines.push(Line::default());
            lines.push(Line::from("y quit · n stay"));
            confirm(frame, area, " Unsaved work ", lines, theme);
        }
        Some(Overlay::Links {
            urls,
            selected,
            can_open,
        }) => render_links(frame, area, urls, *selected, *can_open, theme),
        Some(Overlay::Actions {
            items, selected, ..
        }) => {
            let labels: Vec<String> = items.iter().map(|(label, _)| label.clone()).collect();
            render_menu(
                frame,
                area,
                " Actions ",
                &labels,
                *selected,
                "enter do it · esc close",
                theme,
            );
        }
        Some(Overlay::Search(search_box)) => {
            search::render(frame, area, state, search_box, theme);
        }
        Some(Overlay::ConfirmDiscard) => {
            let lines = vec![
                Line::from("Close the editor and drop your metadata edit?"),
                Line::default(),
                Line::from("y drop it · n keep editing"),
            ];
            confirm(frame, area, " Discard edit ", lines, theme);
        }
        Some(Overlay::ConfirmReload) => {
            let lines = vec![
                Line::from("Drop your metadata edit (not valid JSON) and load the server's copy?"),
                Line::default(),
                Line::from("y reload · n keep editing"),
            ];
            confirm(frame, area, " Reload ", lines, theme);
        }
        None => {}
    }
}

/// A pane border, highlighted when focused.
pub fn pane_block<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        })
        .title(title)
}

/// Centered text in an area (empty, loading and error states).
pub fn placeholder(frame: &mut Frame, area: Rect, text: &str, style: Style) {
    let [middle] = Layout::vertical([Constraint::Length(3)])
        .flex(Flex::Center)
        .areas(area);
    let paragraph = Paragraph::new(text.to_owned())
        .style(style)
        .alignment(ratatui::layout::Alignment::Center)
        .wrap(Wrap { trim: true });
    frame.render_widget(paragraph, middle);
}

/// A centered popup rectangle of at most `width` x `height`.
pub fn popup_area(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

fn confirm(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'_>>, theme: &Theme) {
    let height = u16::try_from(lines.len()).unwrap_or(10) + 2;
    let popup = popup_area(area, 60, height);
    frame.render_widget(Clear, popup);
    let block = pane_block(Line::styled(title.to_owned(), theme.title), true, theme);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

fn render_links(
    frame: &mut Frame,
    area: Rect,
    urls: &[String],
    selected: usize,
    can_open: bool,
    theme: &Theme,
) {
    let mut lines: Vec<Line> = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            let text = format!("[{}] {}", i + 1, crate::text::sanitize_line(url));
            let style = if i == selected {
                theme.selected
            } else {
                theme.link
            };
            Line::styled(text, style)
        })
        .collect();
    lines.push(Line::default());
    let hint = if can_open {
        "enter open · y copy · esc close"
    } else {
        "no browser can be started here (SSH?): y copies the link · esc close"
    };
    lines.push(Line::styled(hint, theme.dim));
    let height = u16::try_from(lines.len()).unwrap_or(10) + 2;
    let popup = popup_area(area, area.width.saturating_sub(4).min(110), height);
    frame.render_widget(Clear, popup);
    let block = pane_block(Line::styled(" Links ", theme.title), true, theme);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// A short menu of choices with one selected, and its keys under it.
fn render_menu(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    items: &[String],
    selected: usize,
    hint: &str,
    theme: &Theme,
) {
    // Keep the selection in view when the menu is taller than the screen.
    let room = usize::from(area.height.saturating_sub(6)).max(1);
    let skip = selected.saturating_sub(room - 1);
    let mut lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(skip)
        .take(room)
        .map(|(i, item)| {
            let style = if i == selected {
                theme.selected
            } else {
                theme.base
            };
            Line::styled(format!(" {} ", crate::text::sanitize_line(item)), style)
        })
        .collect();
    lines.push(Line::default());
    lines.push(Line::styled(hint.to_owned(), theme.dim));
    let height = u16::try_from(lines.len()).unwrap_or(20) + 2;
    let popup = popup_area(area, 44, height);
    frame.render_widget(Clear, popup);
    let block = pane_block(Line::styled(title.to_owned(), theme.title), true, theme);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

fn render_tabs(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let current = crate::app::view::tabs::current(state);
    let mut spans = Vec::new();
    for tab in crate::app::view::tabs::tabs(state) {
        let style = if tab.focus == current {
            theme.marker
        } else {
            theme.dim
        };
        spans.push(Span::styled(
            format!(" {} {} ", tab.number, tab.label),
            style,
        ));
        spans.push(Span::raw(" "));
    }
    let key = state.keymap.keys_for(
        crate::keymap::Mode::Global,
        crate::app::action::Command::FocusNext,
    );
    spans.push(Span::styled(format!("{key} switches"), theme.dim));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
