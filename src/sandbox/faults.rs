//! Fault knobs: latency, 5xx, 429 with `Retry-After`, malformed and truncated bodies, dropped
//! connections and stalls, at random rates or scripted for the next matching requests.
//!
//! Faults that model a server failing before it acts (5xx, 429) skip the handler. Faults that model
//! a reply lost on the way back (malformed, truncated, dropped, stalled) run the handler first, so
//! a POST really happened even though the client cannot tell: that is what "never send twice" is
//! tested against.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::json;

use super::Shared;
use crate::rng::Rng;

/// How a 429 says when to come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`.
    Seconds(u64),
    /// `Retry-After: <HTTP date>` that many seconds ahead.
    HttpDate(u64),
    /// No header at all (Chatwoot's Rack::Attack).
    Absent,
}

/// One injected failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and a FastAPI error body, without acting.
    Status(u16),
    /// Answer 429 without acting.
    RateLimit(RetryAfter),
    /// Act, then answer 200 with a body that is not the API's JSON.
    Malformed,
    /// Act, then answer with the first half of the real body.
    Truncated,
    /// Act, then send half the body and drop the connection.
    Drop,
    /// Wait this long, then act and answer normally (past a client's timeout).
    Stall(Duration),
}

/// Random fault rates and fixed delays, applied to every `/v1` request.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultConfig {
    /// Added before every answer.
    pub latency: Duration,
    /// Probability of a 5xx (500, 502, 503 in turn).
    pub error_rate: f64,
    /// Every n-th request answers 429.
    pub rate_limit_every: Option<u64>,
    pub retry_after: RetryAfter,
    pub malformed_rate: f64,
    pub truncate_rate: f64,
    pub drop_rate: f64,
    pub stall_rate: f64,
    /// How long a stall lasts.
    pub stall: Duration,
    /// A rate limiter like a real server's: requests beyond this many in one second (a fixed
    /// window) answer 429 with `Retry-After: 1`.
    pub max_rps: Option<u32>,
    /// Serve every JSON reply as servers we did not write do: unknown keys, older key names
    /// beside the current ones, numbers as strings, booleans as 0/1, other time formats.
    pub odd_records: bool,
    /// Records (by id) served unreadable on purpose: a message without its time, anything else
    /// without a usable id.
    pub unreadable_ids: Vec<String>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        Self {
            latency: Duration::ZERO,
            error_rate: 0.0,
            rate_limit_every: None,
            retry_after: RetryAfter::Seconds(1),
            malformed_rate: 0.0,
            truncate_rate: 0.0,
            drop_rate: 0.0,
            stall_rate: 0.0,
            stall: Duration::from_secs(30),
            max_rps: None,
            odd_records: false,
            unreadable_ids: Vec::new(),
        }
    }
}

/// A scripted fault: the next `times` requests whose path contains `path` (and whose method is
/// `method`, when set) get `fault`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    pub fault: Fault,
    pub path: Option<String>,
    pub method: Option<String>,
    pub times: u32,
}

impl FaultRule {
    /// The next `times` requests of any kind get `fault`.
    pub fn next(fault: Fault, times: u32) -> Self {
        Self {
            fault,
            path: None,
            method: None,
            times,
        }
    }

    /// Restricts the rule to paths containing `fragment`.
    #[must_use]
    pub fn on_path(mut self, fragment: &str) -> Self {
        self.path = Some(fragment.to_owned());
        self
    }

    /// Restricts the rule to one HTTP method (`"POST"`).
    #[must_use]
    pub fn on_method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.path.as_deref().is_none_or(|p| path.contains(p))
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
    }
}

/// The live fault settings of a sandbox.
#[derive(Debug)]
pub struct FaultState {
    pub config: FaultConfig,
    rules: VecDeque<FaultRule>,
    served: u64,
    rng: Rng,
    /// The current one-second window of the rate limiter and the requests counted in it.
    window: (u64, u32),
    started: std::time::Instant,
}

impl FaultState {
    pub fn new(config: FaultConfig, seed: u64) -> Self {
        Self {
            config,
            rules: VecDeque::new(),
            served: 0,
            rng: Rng::seeded(seed ^ 0xFA17),
            window: (0, 0),
            started: std::time::Instant::now(),
        }
    }

    pub fn push_rule(&mut self, rule: FaultRule) {
        if rule.times > 0 {
            self.rules.push_back(rule);
        }
    }

    pub fn clear(&mut self) {
        self.rules.clear();
        self.config = FaultConfig::default();
    }

    /// Counts the request and decides its fault: scripted rules first, then the rates.
    pub fn decide(&mut self, method: &str, path: &str) -> Option<Fault> {
        self.served += 1;
        if let Some(pos) = self.rules.iter().position(|r| r.matches(method, path)) {
            let rule = &mut self.rules[pos];
            rule.times -= 1;
            let fault = rule.fault.clone();
            if rule.times == 0 {
                self.rules.remove(pos);
            }
            return Some(fault);
        }
        if let Some(max) = self.config.max_rps {
            let second = self.started.elapsed().as_secs();
            if self.window.0 != second {
                self.window = (second, 0);
            }
            self.window.1 += 1;
            if self.window.1 > max {
                return Some(Fault::RateLimit(RetryAfter::Seconds(1)));
            }
        }
        let c = &self.config;
        if c.rate_limit_every
            .is_some_and(|n| n > 0 && self.served.is_multiple_of(n))
        {
            return Some(Fault::RateLimit(c.retry_after));
        }
        let roll = self.rng.unit();
        let (error, malformed, truncate, drop, stall) = (
            c.error_rate,
            c.malformed_rate,
            c.truncate_rate,
            c.drop_rate,
            c.stall_rate,
        );
        let mut edge = 0.0;
        for (rate, fault) in [
            (error, Fault::Status([500, 502, 503][self.rng.index(3)])),
            (malformed, Fault::Malformed),
            (truncate, Fault::Truncated),
            (drop, Fault::Drop),
            (stall, Fault::Stall(c.stall)),
        ] {
            edge += rate;
            if roll < edge {
                return Some(fault);
            }
        }
        None
    }
}

/// One request as the sandbox saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub fault: Option<Fault>,
}

/// The most recent requests (bounded) and a total count.
#[derive(Debug, Default)]
pub struct RequestLog {
    pub entries: VecDeque<RequestRecord>,
    pub total: u64,
}

const LOG_CAPACITY: usize = 100_000;

impl RequestLog {
    pub fn record(&mut self, entry: RequestRecord) {
        self.total += 1;
        if self.entries.len() == LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }
}

/// The middleware: logs the request, applies latency and the decided fault.
pub async fn apply(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let (fault, latency, odd) = {
        let mut faults = shared.lock_faults();
        let odd = Odd::of(&mut faults);
        (faults.decide(&method, &path), faults.config.latency, odd)
    };
    shared.lock_log().record(RequestRecord {
        method,
        path,
        query,
        fault: fault.clone(),
    });
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let streaming = path_is_stream(&req);
    match fault {
        None if !streaming && odd.is_some() => odd_body(next.run(req).await, odd).await,
        None => next.run(req).await,
        // A stream is never buffered: its connection drops after the first events instead.
        Some(Fault::Malformed | Fault::Truncated | Fault::Drop) if streaming => {
            drop_midway(next.run(req).await)
        }
        Some(Fault::Status(code)) => server_error(code),
        Some(Fault::RateLimit(retry_after)) => rate_limited(retry_after),
        Some(Fault::Stall(wait)) => {
            tokio::time::sleep(wait).await;
            next.run(req).await
        }
        Some(Fault::Malformed) => {
            let _acted = next.run(req).await;
            malformed(shared.lock_faults().rng.chance(500))
        }
        Some(Fault::Truncated) => cut(next.run(req).await, false).await,
        Some(Fault::Drop) => cut(next.run(req).await, true).await,
    }
}

/// What the odd-records knobs ask of one reply.
struct Odd {
    rules: Option<super::mutate::Rules>,
    unreadable: Vec<String>,
    seed: u64,
}

impl Odd {
    fn of(faults: &mut FaultState) -> Option<Self> {
        let config = &faults.config;
        if !config.odd_records && config.unreadable_ids.is_empty() {
            return None;
        }
        Some(Self {
            rules: config.odd_records.then_some(super::mutate::Rules::ALL),
            unreadable: config.unreadable_ids.clone(),
            seed: faults.rng.next_u64(),
        })
    }
}

/// The reply with its JSON mutated per `odd`; a body that is not JSON passes unchanged.
async fn odd_body(response: Response, odd: Option<Odd>) -> Response {
    let Some(odd) = odd else { return response };
    let (mut parts, body) = response.into_parts();
    // The body is sent again as it is read (or rewritten): its length is counted anew.
    parts.headers.remove(header::CONTENT_LENGTH);
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let Some(rules) = odd.rules {
        super::mutate::mutate(&mut value, rules, &mut Rng::seeded(odd.seed));
    }
    super::mutate::break_records(&mut value, &odd.unreadable);
    Response::from_parts(parts, Body::from(value.to_string()))
}

fn server_error(code: u16) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let detail = match code {
        502 => "Bad gateway: upstream carrier did not respond",
        503 => "Service temporarily unavailable",
        _ => "Internal server error",
    };
    (status, axum::Json(json!({ "detail": detail }))).into_response()
}

fn rate_limited(retry_after: RetryAfter) -> Response {
    let body = json!({"error": {"message": "Rate limit exceeded. Limit: 60 requests per 60s",
        "code": "RATE_LIMIT_EXCEEDED", "type": "rate_limit_error"}});
    let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    let value = match retry_after {
        RetryAfter::Seconds(s) => Some(s.to_string()),
        RetryAfter::HttpDate(s) => {
            let at = Utc::now() + chrono::Duration::seconds(i64::try_from(s).unwrap_or(0) + 1);
            Some(at.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        }
        RetryAfter::Absent => None,
    };
    if let Some(value) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// A 200 whose body is not the API's JSON: an HTML error page or the wrong shape.
fn malformed(html: bool) -> Response {
    let (content_type, body) = if html {
        (
            "text/html",
            "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>".to_owned(),
        )
    } else {
        (
            "application/json",
            r#"{"data": "unavailable", "hasMore": "maybe", "id": 7}"#.to_owned(),
        )
    };
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The first half of the real body; with `drop`, the connection then breaks mid-body.
fn path_is_stream(req: &Request) -> bool {
    req.uri().path().ends_with("/stream")
}

/// Passes the first two chunks of a streaming body through, then drops the connection.
fn drop_midway(response: Response) -> Response {
    use futures::StreamExt as _;
    let (parts, body) = response.into_parts();
    let reset = std::io::Error::new(
        std::io::ErrorKind::ConnectionReset,
        "sandbox dropped the stream",
    );
    let head = body
        .into_data_stream()
        .take(2)
        .map(|chunk| chunk.map_err(std::io::Error::other));
    let body = head.chain(futures::stream::iter([Err(reset)]));
    Response::from_parts(parts, Body::from_stream(body))
}

async fn cut(response: Response, drop: bool) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = if drop {
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
            Ok(half),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "sandbox dropped the connection",
            )),
        ];
        Body::from_stream(futures::stream::iter(chunks))
    } else {
        Body::from(half)
    };
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripted_rules_match_and_run_out() {
        let mut state = FaultState::new(FaultConfig::default(), 1);
        state.push_rule(FaultRule::next(Fault::Status(503), 2).on_path("/messages"));
        assert_eq!(state.decide("GET", "/v1/conversations"), None);
        assert_eq!(
            state.decide("GET", "/v1/conversations/c/messages"),
            Some(Fault::Status(503))
        );
        assert_eq!(
            state.decide("POST", "/v1/messages"),
            Some(Fault::Status(503))
        );
        assert_eq!(state.decide("POST", "/v1/messages"), None);
    }

    #[test]
    fn every_nth_request_is_rate_limited() {
        let config = FaultConfig {
            rate_limit_every: Some(3),
            ..FaultConfig::default()
        };
        let mut state = FaultState::new(config, 1);
        let faults: Vec<bool> = (0..6)
            .map(|_| state.decide("GET", "/v1/x").is_some())
            .collect();
        assert_eq!(faults, [false, false, true, false, false, true]);
    }

    #[test]
    fn requests_beyond_the_per_second_limit_get_429() {
        let config = FaultConfig {
            max_rps: Some(5),
            ..FaultConfig::default()
        };
        let mut state = FaultState::new(config, 1);
        // A burst far faster than a second: the first five pass, the rest are limited (a
        // window that rolls over mid-burst lets at most five more through).
        let limited = (0..20)
            .filter(|_| state.decide("GET", "/v1/x").is_some())
            .count();
        assert!((10..=15).contains(&limited), "{limited}");
    }

    #[test]
    fn rates_are_roughly_honoured() {
        let config = FaultConfig {
            error_rate: 0.2,
            ..FaultConfig::default()
        };
        let mut state = FaultState::new(config, 9);
        let hits = (0..10_000)
            .filter(|_| state.decide("GET", "/v1/x").is_some())
            .count();
        assert!((1_500..2_500).contains(&hits), "{hits}");
    }
}
