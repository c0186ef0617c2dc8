//! Viewport arithmetic over blocks of varying height, shared by `update` (moving the viewport) and
//! render (drawing it). Cost is proportional to the lines moved or shown, never to the history.
//!
//! A position is the top line of the viewport: block `index`, `offset` lines into that block.
//! `tail` is the height of rows after the last block (pending sends).

/// The viewport's top line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Top {
    pub index: usize,
    pub offset: u16,
}

impl Top {
    pub const START: Self = Self {
        index: 0,
        offset: 0,
    };
}

/// The top when following the end: the last `view` lines (or the start, when everything fits).
pub fn bottom(len: usize, tail: u16, view: u16, height: &mut impl FnMut(usize) -> u16) -> Top {
    let mut total = u32::from(tail);
    let mut i = len;
    while i > 0 && total < u32::from(view) {
        i -= 1;
        total += u32::from(height(i));
    }
    if total <= u32::from(view) {
        // Either everything fits (i == 0) or the blocks from i fill the view exactly.
        return Top {
            index: i,
            offset: 0,
        };
    }
    Top {
        index: i,
        offset: u16::try_from(total - u32::from(view)).unwrap_or(u16::MAX),
    }
}

/// Moves the top up by `lines`, stopping at the start.
pub fn up(mut top: Top, mut lines: u16, height: &mut impl FnMut(usize) -> u16) -> Top {
    while lines > 0 {
        if top.offset >= lines {
            top.offset -= lines;
            return top;
        }
        lines -= top.offset;
        if top.index == 0 {
            return Top::START;
        }
        top.index -= 1;
        top.offset = height(top.index);
    }
    top
}

/// Moves the top down by `lines`. Returns the new top and whether it reached the bottom (where the
/// view should follow new messages).
pub fn down(
    mut top: Top,
    lines: u16,
    len: usize,
    tail: u16,
    view: u16,
    height: &mut impl FnMut(usize) -> u16,
) -> (Top, bool) {
    let floor = bottom(len, tail, view, height);
    top.offset = top.offset.saturating_add(lines);
    while top.index < len && top.offset >= height(top.index) {
        top.offset -= height(top.index);
        top.index += 1;
    }
    if top >= floor {
        (floor, true)
    } else {
        (top, false)
    }
}

/// The last block whose first line is on screen: the highlighted message that copy and open-link
/// act on (at the bottom, the newest one).
pub fn highlighted(
    top: Top,
    len: usize,
    view: u16,
    height: &mut impl FnMut(usize) -> u16,
) -> Option<usize> {
    let mut line = -i64::from(top.offset);
    let mut found = None;
    for i in top.index..len {
        if line >= i64::from(view) {
            break;
        }
        if line >= 0 {
            found = Some(i);
        }
        line += i64::from(height(i));
    }
    found.or((top.index < len).then_some(top.index))
}

/// True when `top` shows the last line (the view is at the bottom).
pub fn is_at_bottom(
    top: Top,
    len: usize,
    tail: u16,
    view: u16,
    height: &mut impl FnMut(usize) -> u16,
) -> bool {
    top >= bottom(len, tail, view, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of heights 3, 1, 4, 2, 5.
    fn h(i: usize) -> u16 {
        [3, 1, 4, 2, 5][i]
    }

    #[test]
    fn bottom_shows_the_last_lines_or_the_start() {
        assert_eq!(
            bottom(5, 0, 6, &mut h),
            Top {
                index: 3,
                offset: 1
            }
        );
        assert_eq!(
            bottom(5, 2, 6, &mut h),
            Top {
                index: 4,
                offset: 1
            }
        );
        assert_eq!(bottom(5, 0, 100, &mut h), Top::START);
        assert_eq!(bottom(0, 0, 10, &mut h), Top::START);
        // The last blocks fill the view exactly: the top is the first of them, not the start.
        assert_eq!(
            bottom(5, 0, 7, &mut h),
            Top {
                index: 3,
                offset: 0
            }
        );
        let mut three = |_| 3;
        assert_eq!(
            bottom(200, 0, 24, &mut three),
            Top {
                index: 192,
                offset: 0
            }
        );
    }

    #[test]
    fn up_walks_back_through_blocks_and_stops_at_the_start() {
        let top = Top {
            index: 3,
            offset: 1,
        };
        assert_eq!(
            up(top, 1, &mut h),
            Top {
                index: 3,
                offset: 0
            }
        );
        assert_eq!(
            up(top, 2, &mut h),
            Top {
                index: 2,
                offset: 3
            }
        );
        assert_eq!(
            up(top, 6, &mut h),
            Top {
                index: 1,
                offset: 0
            }
        );
        assert_eq!(up(top, 99, &mut h), Top::START);
    }

    #[test]
    fn down_walks_forward_and_clamps_at_the_bottom() {
        assert_eq!(
            down(Top::START, 4, 5, 0, 6, &mut h),
            (
                Top {
                    index: 2,
                    offset: 0
                },
                false
            )
        );
        assert_eq!(
            down(Top::START, 99, 5, 0, 6, &mut h),
            (
                Top {
                    index: 3,
                    offset: 1
                },
                true
            )
        );
        assert!(is_at_bottom(
            Top {
                index: 3,
                offset: 1
            },
            5,
            0,
            6,
            &mut h
        ));
        assert!(!is_at_bottom(
            Top {
                index: 3,
                offset: 0
            },
            5,
            0,
            6,
            &mut h
        ));
    }

    #[test]
    fn the_highlighted_block_is_the_last_that_starts_on_screen() {
        // Heights 3, 1, 4, 2, 5; a 6-line view from block 1: lines 0 (b1), 1-4 (b2), 5 (b3).
        assert_eq!(
            highlighted(
                Top {
                    index: 1,
                    offset: 0
                },
                5,
                6,
                &mut h
            ),
            Some(3)
        );
        // From inside block 2 (offset 1): b2 started above, b3 starts at line 3.
        assert_eq!(
            highlighted(
                Top {
                    index: 2,
                    offset: 1
                },
                5,
                6,
                &mut h
            ),
            Some(4)
        );
        // A block taller than the view that started above: it is still the one shown.
        assert_eq!(
            highlighted(
                Top {
                    index: 4,
                    offset: 2
                },
                5,
                2,
                &mut h
            ),
            Some(4)
        );
        assert_eq!(highlighted(Top::START, 0, 6, &mut h), None);
    }

    #[test]
    fn up_then_down_returns_to_the_same_line() {
        // 15 lines in all; with a 3-line view the bottom top is line 12 (block 4, offset 2).
        let start = Top {
            index: 4,
            offset: 2,
        };
        assert_eq!(bottom(5, 0, 3, &mut h), start);
        for n in 0..20 {
            let moved = up(start, n, &mut h);
            let (back, at_bottom) = down(moved, n.min(12), 5, 0, 3, &mut h);
            assert_eq!(back, start, "n = {n}");
            assert!(at_bottom);
        }
    }
}
