//! What a soak run saw, which of its checks broke, and the printed report.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use super::Breakage;
use crate::api::ErrorClass;

/// Examples kept per broken check (the count covers them all).
const EXAMPLES: usize = 4;

/// One guarantee the soak checks at the end of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// Nothing panicked: not `update`, not drawing, not provider work.
    NoPanic,
    /// The connection was live again soon after the faults stopped.
    Recovered,
    /// Every thread the app holds ends with the server's newest message.
    CaughtUp,
    /// Every server message inside a thread's window is in the app's thread.
    NothingLost,
    /// Every message the app shows is on the server.
    NothingInvented,
    /// A thread holds each id once, in time order.
    UniqueAndOrdered,
    /// Bodies, directions and times equal the server's.
    SameContent,
    /// The list's top page (rows, activity, metadata) equals the server's.
    ListMatches,
    /// No reply reached the server twice; every reply confirmed as sent is there.
    SentOnce,
    /// No send the server holds is still "may or may not have been sent" in the app.
    SendsSettled,
    /// The run did what it must to mean something: messages compared, ambiguous sends,
    /// metadata saves, the app offline when the faults stopped.
    Exercised,
}

impl Check {
    /// Every check, in report order.
    pub const ALL: [Self; 11] = [
        Self::NoPanic,
        Self::Recovered,
        Self::CaughtUp,
        Self::NothingLost,
        Self::NothingInvented,
        Self::UniqueAndOrdered,
        Self::SameContent,
        Self::ListMatches,
        Self::SentOnce,
        Self::SendsSettled,
        Self::Exercised,
    ];

    /// The guarantee in a few words, for the report.
    pub fn describe(self) -> &'static str {
        match self {
            Self::NoPanic => "no panic",
            Self::Recovered => "recovered after the faults stopped",
            Self::CaughtUp => "every thread caught up with the server",
            Self::NothingLost => "no message lost",
            Self::NothingInvented => "no message invented",
            Self::UniqueAndOrdered => "ids unique and in order",
            Self::SameContent => "bodies, directions and times as on the server",
            Self::ListMatches => "list top page as on the server (activity, metadata)",
            Self::SentOnce => "every reply sent at most once",
            Self::SendsSettled => "ambiguous sends settled",
            Self::Exercised => "the run exercised what it checks",
        }
    }
}

/// How often one check broke, with the first few cases.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Broken {
    pub count: usize,
    pub examples: Vec<String>,
}

/// What the soak saw.
#[derive(Clone, Debug, Default)]
pub struct SoakReport {
    pub duration: Duration,
    /// The deliberately broken client the run used, if any.
    pub breakage: Option<Breakage>,
    /// Requests the sandbox served (every attempt, retries included).
    pub requests: u64,
    /// Requests that got an injected fault.
    pub faults_injected: u64,
    /// Failed results that reached the app, by class.
    pub errors: BTreeMap<ErrorClass, u64>,
    pub recoveries: u64,
    /// The app was offline (or rate limited) when the faults stopped.
    pub down_at_stop: bool,
    /// How long after the faults stopped the connection was live again (`None`: never).
    pub recovered_after: Option<Duration>,
    pub panics: u64,
    /// Frames drawn into the test terminal (one after every action).
    pub frames: u64,
    pub threads_checked: usize,
    /// Server messages inside the checked windows.
    pub messages_checked: usize,
    /// Conversations of the server's top page compared with the app's list.
    pub conversations_checked: usize,
    pub replies_attempted: usize,
    /// Replies the app was told were sent.
    pub replies_confirmed: usize,
    /// Sends the server acted on whose answer was lost (dropped, cut, unreadable, too late).
    pub ambiguous_sends: usize,
    /// Times the user pressed save in the metadata editor.
    pub metadata_save_presses: usize,
    /// Metadata writes the server acted on.
    pub metadata_saves: usize,
    /// Metadata writes the app was told succeeded.
    pub metadata_saves_confirmed: usize,
    /// The checks that broke.
    pub broken: BTreeMap<Check, Broken>,
}

impl SoakReport {
    /// Every guarantee held.
    pub fn passed(&self) -> bool {
        self.broken.is_empty()
    }

    /// True when `check` broke.
    pub fn failed(&self, check: Check) -> bool {
        self.broken.contains_key(&check)
    }

    /// How often `check` broke.
    pub fn count(&self, check: Check) -> usize {
        self.broken.get(&check).map_or(0, |b| b.count)
    }

    /// Records one case of `check` breaking.
    pub fn fail(&mut self, check: Check, detail: impl FnOnce() -> String) {
        let broken = self.broken.entry(check).or_default();
        broken.count += 1;
        if broken.examples.len() < EXAMPLES {
            broken.examples.push(detail());
        }
    }

    fn write_counts(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "requests made:        {} ({} with an injected fault)",
            self.requests, self.faults_injected
        )?;
        let errors: Vec<String> = self
            .errors
            .iter()
            .map(|(c, n)| format!("{c:?} {n}"))
            .collect();
        let errors = if errors.is_empty() {
            "none".to_owned()
        } else {
            errors.join(", ")
        };
        writeln!(f, "errors by class:      {errors}")?;
        let recovered = self
            .recovered_after
            .map_or("never".to_owned(), |d| format!("{} ms", d.as_millis()));
        let down = if self.down_at_stop { "offline" } else { "live" };
        writeln!(
            f,
            "recoveries:           {} ({down} when the faults stopped, live {recovered} after)",
            self.recoveries
        )?;
        writeln!(f, "frames drawn:         {}", self.frames)?;
        writeln!(
            f,
            "replies:              {} attempted, {} confirmed, {} ambiguous",
            self.replies_attempted, self.replies_confirmed, self.ambiguous_sends
        )?;
        writeln!(
            f,
            "metadata saves:       {} made ({} confirmed, {} presses)",
            self.metadata_saves, self.metadata_saves_confirmed, self.metadata_save_presses
        )?;
        writeln!(
            f,
            "checked:              {} messages in {} threads, {} conversations",
            self.messages_checked, self.threads_checked, self.conversations_checked
        )?;
        writeln!(f, "panics:               {}", self.panics)?;
        writeln!(
            f,
            "messages lost:        {}",
            self.count(Check::NothingLost)
        )?;
        writeln!(
            f,
            "messages invented:    {}",
            self.count(Check::NothingInvented)
        )?;
        writeln!(f, "replies sent twice:   {}", self.count(Check::SentOnce))
    }
}

impl fmt::Display for SoakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let client = self.breakage.map_or(String::new(), |b| {
            format!(", broken client: {}", b.describe())
        });
        writeln!(
            f,
            "soak: {}s against the sandbox, every fault on{client}",
            self.duration.as_secs()
        )?;
        self.write_counts(f)?;
        for check in Check::ALL {
            let Some(broken) = self.broken.get(&check) else {
                continue;
            };
            writeln!(f, "FAILED {} ({}x)", check.describe(), broken.count)?;
            for example in &broken.examples {
                writeln!(f, "  {example}")?;
            }
        }
        write!(
            f,
            "result:               {}",
            if self.passed() { "PASS" } else { "FAIL" }
        )
    }
}
