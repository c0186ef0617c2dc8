//! Times as the panes show them: local clock times, day labels, short relative ages.

use chrono::{DateTime, Datelike, FixedOffset, Local};

use crate::api::Timestamp;

/// The time zone times are shown in: the system's (with its daylight-saving rules, looked up
/// per instant) or a fixed offset (tests, snapshots).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    Local,
    Fixed(FixedOffset),
}

impl Zone {
    /// Coordinated universal time.
    ///
    /// # Panics
    /// Never: a zero offset is always valid.
    pub fn utc() -> Self {
        Self::Fixed(FixedOffset::east_opt(0).expect("a zero offset is valid"))
    }
}

fn local(t: Timestamp, tz: Zone) -> DateTime<FixedOffset> {
    match tz {
        Zone::Local => t.with_timezone(&Local).fixed_offset(),
        Zone::Fixed(offset) => t.with_timezone(&offset),
    }
}

/// How times are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeFormat {
    /// 14:05
    #[default]
    H24,
    /// 2:05 PM
    H12,
}

/// `14:02` (or `2:02 PM`) in local time.
pub fn clock(t: Timestamp, tz: Zone, format: TimeFormat) -> String {
    let pattern = match format {
        TimeFormat::H24 => "%H:%M",
        TimeFormat::H12 => "%-I:%M %p",
    };
    local(t, tz).format(pattern).to_string()
}

/// `14:02:07` (or `2:02:07 PM`) in local time, where the second matters.
pub fn clock_seconds(t: Timestamp, tz: Zone, format: TimeFormat) -> String {
    let pattern = match format {
        TimeFormat::H24 => "%H:%M:%S",
        TimeFormat::H12 => "%-I:%M:%S %p",
    };
    local(t, tz).format(pattern).to_string()
}

/// The next day's `hour`:00 in local time, as an instant (for "snooze until tomorrow 09:00").
pub fn next_day_at(now: Timestamp, tz: Zone, hour: u32) -> Timestamp {
    let local_now = local(now, tz);
    let day = local_now.date_naive() + chrono::Days::new(1);
    let at = day.and_hms_opt(hour, 0, 0).unwrap_or_default();
    let offset = *local_now.offset();
    at.and_local_timezone(offset)
        .single()
        .map_or(now + chrono::TimeDelta::days(1), |t| {
            t.with_timezone(&chrono::Utc)
        })
}

/// `Today`, `Yesterday`, or `Mon 23 Nov 2026`, for day separators.
pub fn day_label(t: Timestamp, now: Timestamp, tz: Zone) -> String {
    let (day, today) = (local(t, tz).date_naive(), local(now, tz).date_naive());
    match (today - day).num_days() {
        0 => "Today".into(),
        1 => "Yesterday".into(),
        _ => local(t, tz).format("%a %-d %b %Y").to_string(),
    }
}

/// True when two instants fall on different local days.
pub fn different_day(a: Timestamp, b: Timestamp, tz: Zone) -> bool {
    local(a, tz).date_naive() != local(b, tz).date_naive()
}

/// A short age for the list: `now`, `5m`, `3h`, `Tue`, `12 Oct`, `12 Oct 24`.
pub fn relative(t: Timestamp, now: Timestamp, tz: Zone) -> String {
    let age = now - t;
    if age.num_seconds() < 60 {
        return "now".into();
    }
    if age.num_minutes() < 60 {
        return format!("{}m", age.num_minutes());
    }
    if age.num_hours() < 24 {
        return format!("{}h", age.num_hours());
    }
    let (then, today) = (local(t, tz), local(now, tz));
    if age.num_days() < 7 {
        then.format("%a").to_string()
    } else if then.year() == today.year() {
        then.format("%-d %b").to_string()
    } else {
        then.format("%-d %b %y").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn relative_ages_read_like_a_mail_client() {
        let tz = Zone::utc();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let ago = |secs| now - chrono::TimeDelta::seconds(secs);
        assert_eq!(relative(ago(10), now, tz), "now");
        assert_eq!(relative(ago(300), now, tz), "5m");
        assert_eq!(relative(ago(3 * 3600), now, tz), "3h");
        assert_eq!(relative(ago(2 * 86_400), now, tz), "Sat");
        assert_eq!(relative(ago(40 * 86_400), now, tz), "14 Oct");
        assert_eq!(relative(ago(400 * 86_400), now, tz), "19 Oct 25");
        assert_eq!(day_label(ago(3600), now, tz), "Today");
        assert_eq!(day_label(ago(86_400), now, tz), "Yesterday");
        assert_eq!(day_label(ago(5 * 86_400), now, tz), "Wed 18 Nov 2026");
    }
}
