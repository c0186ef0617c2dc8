//! The counts in pane titles. A count says only what is known: the server's total when it sent
//! one, else the rows loaded (with `+` while more pages exist), and `loading…` while the first
//! page of a list is on its way: never a `0` that only means "not here yet".

use crate::api::NextPage;
use crate::app::paging::Load;

/// The count of a list for its title: `240`, `50+`, `3`, or `loading…`.
pub fn list_count(
    total: Option<u64>,
    loaded: usize,
    next: Option<&NextPage>,
    load: &Load,
) -> String {
    if let Some(total) = total {
        return total.to_string();
    }
    match next {
        None if loaded == 0 && load.is_loading() => "loading…".to_owned(),
        Some(NextPage::More(_)) => format!("{loaded}+"),
        _ => loaded.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::list_count;
    use crate::api::{Cursor, NextPage};
    use crate::app::paging::{Load, RequestId};

    #[test]
    fn a_count_says_only_what_is_known() {
        let loading = Load::Loading(RequestId(1));
        let more = NextPage::More(Cursor::Offset(50));
        assert_eq!(list_count(None, 0, None, &loading), "loading…");
        assert_eq!(list_count(Some(62), 0, None, &loading), "62");
        assert_eq!(list_count(None, 50, Some(&more), &Load::Idle), "50+");
        assert_eq!(list_count(None, 7, Some(&NextPage::End), &Load::Idle), "7");
        assert_eq!(list_count(None, 0, Some(&NextPage::End), &Load::Idle), "0");
        // Rows from the cache are shown while the server's first page loads.
        assert_eq!(list_count(None, 12, None, &loading), "12");
    }
}
