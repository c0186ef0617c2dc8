//! A backend that writes nothing for a frame that changed nothing.
//!
//! The loop draws after every input and every background result (drawing by rule, not by a
//! `touch()` each handler must remember). Most poll answers change nothing on screen; ratatui's
//! diff then has no cells to write, but the crossterm backend still writes its colour resets and
//! the cursor's hide/move on every frame. `Quiet` drops those: an empty diff writes no bytes, and
//! the cursor is shown, hidden or moved only when that changes. So an idle inbox writes zero bytes
//! however often it polls, and a slow SSH link carries only real changes.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

/// Wraps a backend; see the module docs.
pub struct Quiet<B> {
    inner: B,
    /// Whether the terminal's cursor is visible, when known.
    visible: Option<bool>,
    /// Where the terminal's cursor is, when known (drawing moves it).
    at: Option<Position>,
}

impl<B> Quiet<B> {
    pub fn new(inner: B) -> Self {
        Self {
            inner,
            visible: None,
            at: None,
        }
    }

    /// Forgets what the terminal's cursor looks like: after the terminal was handed to a shell
    /// or an editor, its state is whatever they left.
    pub fn forget(&mut self) {
        self.visible = None;
        self.at = None;
    }
}

impl<B: Backend> Backend for Quiet<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut content = content.peekable();
        if content.peek().is_none() {
            return Ok(());
        }
        self.at = None;
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        if self.visible != Some(false) {
            self.inner.hide_cursor()?;
            self.visible = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        if self.visible != Some(true) {
            self.inner.show_cursor()?;
            self.visible = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        let position = position.into();
        if self.at != Some(position) {
            self.inner.set_cursor_position(position)?;
            self.at = Some(position);
        }
        Ok(())
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.at = None;
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.at = None;
        self.inner.clear_region(clear_type)
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.at = None;
        self.inner.append_lines(n)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::CrosstermBackend;
    use ratatui::widgets::Paragraph;

    /// The bytes a terminal wrote, shared with the test.
    #[derive(Clone, Default)]
    struct Sink(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    type Test = Terminal<Quiet<CrosstermBackend<Sink>>>;

    fn terminal() -> (Test, Sink) {
        let sink = Sink::default();
        let backend = Quiet::new(CrosstermBackend::new(sink.clone()));
        let options = ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 20, 2)),
        };
        let terminal = Terminal::with_options(backend, options).expect("a terminal over a Vec");
        (terminal, sink)
    }

    fn written(sink: &Sink) -> usize {
        std::mem::take(&mut *sink.0.borrow_mut()).len()
    }

    #[test]
    fn a_frame_that_changed_nothing_writes_nothing() {
        let (mut terminal, sink) = terminal();
        let frame = |text: &'static str| {
            move |f: &mut ratatui::Frame| {
                f.render_widget(Paragraph::new(text), f.area());
            }
        };
        terminal.draw(frame("hello")).expect("draw");
        assert!(written(&sink) > 0, "the first frame is written");
        terminal.draw(frame("hello")).expect("draw");
        assert_eq!(written(&sink), 0, "the same frame again: no bytes");
        terminal.draw(frame("hellO")).expect("draw");
        assert!(written(&sink) > 0, "a change is written");
    }

    #[test]
    fn the_cursor_moves_only_when_it_changes() {
        let (mut terminal, sink) = terminal();
        let frame = |x: u16| {
            move |f: &mut ratatui::Frame| {
                f.render_widget(Paragraph::new("ab"), f.area());
                f.set_cursor_position(Position::new(x, 0));
            }
        };
        terminal.draw(frame(1)).expect("draw");
        written(&sink);
        terminal.draw(frame(1)).expect("draw");
        assert_eq!(written(&sink), 0, "same cursor: no bytes");
        terminal.draw(frame(2)).expect("draw");
        assert!(written(&sink) > 0, "the cursor moved");
        terminal.backend_mut().forget();
        terminal.draw(frame(2)).expect("draw");
        assert!(written(&sink) > 0, "after forget the cursor is set again");
    }
}
