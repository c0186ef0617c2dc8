//! A server-sent events decoder (the `text/event-stream` format of the HTML standard), fed bytes
//! as they arrive. Comments (`: heartbeat`) are reported too, so a reader can tell a quiet but
//! healthy stream from a dead one.

/// One dispatched event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SseItem {
    /// `event:` (default `message`) with its `data:` lines joined by newlines, and `id:`.
    Event {
        name: String,
        data: String,
        id: Option<String>,
    },
    /// A comment line such as `: heartbeat`.
    Comment(String),
}

/// Longest line kept; a server sending more without a newline is cut off, not buffered forever.
const MAX_LINE: usize = 1024 * 1024;
/// Most data kept for one event; more is dropped (the event then fails to decode and is skipped).
const MAX_DATA: usize = 4 * 1024 * 1024;

/// Incremental decoder: `push` bytes, get the complete items.
#[derive(Debug, Default)]
pub struct SseDecoder {
    line: Vec<u8>,
    /// The last byte was `\r`: a following `\n` belongs to the same line end.
    after_cr: bool,
    name: Option<String>,
    data: Option<String>,
    id: Option<String>,
}

impl SseDecoder {
    /// Feeds a chunk; returns every item it completes, in order.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseItem> {
        let mut items = Vec::new();
        for &byte in bytes {
            let after_cr = std::mem::replace(&mut self.after_cr, byte == b'\r');
            match byte {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => {
                    let line = std::mem::take(&mut self.line);
                    items.extend(self.line_done(&String::from_utf8_lossy(&line)));
                }
                _ if self.line.len() < MAX_LINE => self.line.push(byte),
                _ => {}
            }
        }
        items
    }

    fn line_done(&mut self, line: &str) -> Option<SseItem> {
        if line.is_empty() {
            return self.dispatch();
        }
        if let Some(comment) = line.strip_prefix(':') {
            return Some(SseItem::Comment(comment.trim().to_owned()));
        }
        let (field, value) = line
            .split_once(':')
            .map_or((line, ""), |(f, v)| (f, v.strip_prefix(' ').unwrap_or(v)));
        match field {
            "event" => self.name = Some(value.to_owned()),
            "data" => {
                let data = self.data.get_or_insert_with(String::new);
                if data.len() + value.len() < MAX_DATA {
                    data.push_str(value);
                    data.push('\n');
                }
            }
            "id" if !value.contains('\0') => self.id = Some(value.to_owned()),
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<SseItem> {
        let name = self.name.take();
        let mut data = self.data.take()?;
        data.pop(); // the newline after the last data line
        Some(SseItem::Event {
            name: name
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "message".into()),
            data,
            id: self.id.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, data: &str) -> SseItem {
        SseItem::Event {
            name: name.into(),
            data: data.into(),
            id: None,
        }
    }

    #[test]
    fn decodes_events_comments_and_multi_line_data() {
        let mut d = SseDecoder::default();
        let items =
            d.push(b"event: connected\ndata: {\"a\":1}\n\n: heartbeat\n\ndata: one\ndata: two\n\n");
        assert_eq!(
            items,
            vec![
                event("connected", "{\"a\":1}"),
                SseItem::Comment("heartbeat".into()),
                event("message", "one\ntwo"),
            ]
        );
    }

    #[test]
    fn any_split_of_the_bytes_gives_the_same_items() {
        let text = b"event: turn\r\ndata: {\"id\":\"t1\"}\r\n\r\nevent: ended\ndata: {}\n\n";
        let mut whole = SseDecoder::default();
        let expected = whole.push(text);
        assert_eq!(expected.len(), 2);
        for cut in 0..text.len() {
            let mut d = SseDecoder::default();
            let mut items = d.push(&text[..cut]);
            items.extend(d.push(&text[cut..]));
            assert_eq!(items, expected, "cut at {cut}");
        }
    }

    #[test]
    fn an_endless_event_is_bounded() {
        let mut d = SseDecoder::default();
        let line = format!("data: {}\n", "x".repeat(1000));
        for _ in 0..10_000 {
            assert!(d.push(line.as_bytes()).is_empty());
        }
        let items = d.push(b"\n");
        let [SseItem::Event { data, .. }] = &items[..] else {
            panic!("{items:?}")
        };
        assert!(data.len() <= MAX_DATA, "{}", data.len());
    }

    #[test]
    fn an_event_without_data_is_not_dispatched_and_ids_carry_over() {
        let mut d = SseDecoder::default();
        assert!(d.push(b"event: turn\n\n").is_empty());
        let items = d.push(b"id: 7\ndata: x\n\ndata: y\n\n");
        assert_eq!(
            items,
            vec![
                SseItem::Event {
                    name: "message".into(),
                    data: "x".into(),
                    id: Some("7".into())
                },
                SseItem::Event {
                    name: "message".into(),
                    data: "y".into(),
                    id: Some("7".into())
                },
            ]
        );
    }
}
