//! The shared HTTP client: timeouts, user agent, auth, retries, one rate-limit gate, status mapping.
//!
//! Every provider goes through [`Http`]. Status codes become [`ApiError`] in one place
//! ([`ApiError::from_status`]); transport failures in `transport_error`. Bodies are read with a
//! size cap and decoded only when complete, so a dropped or truncated reply never yields half data.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::Method;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use url::Url;

use super::error::ApiError;
use super::retry::{RetryPolicy, parse_retry_after};
use crate::rng::Rng;

/// Largest reply body read (bytes); anything bigger is refused as undecodable.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// The wait assumed when a 429 comes without `Retry-After` (Chatwoot's Rack::Attack).
const DEFAULT_RATE_LIMIT_WAIT: Duration = Duration::from_secs(5);

/// How to reach a provider.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    pub base_url: Url,
    /// `None` sends no `Authorization` header.
    pub api_key: Option<SecretString>,
    /// Extra headers on every request (`X-Sub-Account-Id`, `X-Anyreach-Org`, …).
    pub extra_headers: Vec<(String, String)>,
    /// Send the key in this header as it is (Chatwoot's `api_access_token`) instead of
    /// `Authorization: Bearer`.
    pub key_header: Option<String>,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// Spaces requests so no more than this many go out per second (`None`: no pacing).
    pub max_rps: Option<f64>,
}

impl HttpConfig {
    /// Defaults for `base_url`: 5 s to connect, 20 s per request, the default retry policy.
    pub fn new(base_url: Url, api_key: Option<SecretString>) -> Self {
        Self {
            base_url,
            api_key,
            extra_headers: Vec::new(),
            key_header: None,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            retry: RetryPolicy::default(),
            max_rps: None,
        }
    }
}

/// Counters of what the client did; cheap to read from any thread.
#[derive(Debug, Default)]
pub struct RequestStats {
    /// Requests put on the wire (every attempt counts).
    pub attempts: AtomicU64,
    /// Attempts that were automatic retries.
    pub retries: AtomicU64,
    /// Attempts that ended in an error.
    pub failures: AtomicU64,
}

/// One `Retry-After` window shared by every request of a client.
///
/// After a 429 no request goes out until the window ends; a request that would have to wait longer
/// than the policy allows fails at once with `RateLimited`, so the UI can say so.
#[derive(Debug, Default)]
struct RateGate {
    until: Mutex<Option<Instant>>,
}

impl RateGate {
    fn close_for(&self, wait: Duration) {
        let until = Instant::now() + wait.min(super::retry::MAX_RETRY_AFTER);
        let mut slot = self.until.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none_or(|current| current < until) {
            *slot = Some(until);
        }
    }

    /// Waits for the window to end, or reports how long is left when that is more than `max_wait`.
    async fn admit(&self, max_wait: Duration) -> Result<(), Duration> {
        let until = *self.until.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(until) = until else { return Ok(()) };
        let left = until.saturating_duration_since(Instant::now());
        if left > max_wait {
            return Err(left);
        }
        tokio::time::sleep(left).await;
        Ok(())
    }
}

/// A cheaply clonable client for one provider account.
#[derive(Clone, Debug)]
pub struct Http {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    base: Url,
    request_timeout: Duration,
    retry: RetryPolicy,
    gate: RateGate,
    pacer: Option<super::pace::Pacer>,
    jitter: Mutex<Rng>,
    stats: RequestStats,
    skips: super::skips::SkipLedger,
}

impl Http {
    /// Builds the client. Fails only on an invalid header value in the configuration.
    pub fn new(config: HttpConfig) -> Result<Self, ApiError> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .default_headers(default_headers(&config)?)
            .build()
            .map_err(|e| ApiError::Connection {
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                base: config.base_url,
                request_timeout: config.request_timeout,
                retry: config.retry,
                gate: RateGate::default(),
                pacer: config.max_rps.and_then(super::pace::Pacer::new),
                jitter: Mutex::new(Rng::from_entropy()),
                stats: RequestStats::default(),
                skips: super::skips::SkipLedger::default(),
            }),
        })
    }

    /// The base URL requests are resolved against.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// What this client has done so far.
    pub fn stats(&self) -> &RequestStats {
        &self.inner.stats
    }

    /// The records this client had to skip because they could not be read.
    pub fn skips(&self) -> &super::skips::SkipLedger {
        &self.inner.skips
    }

    /// `base + path` with `query` pairs appended (values percent-encoded, so `+` stays `+`).
    pub fn url(&self, path: &str, query: &[(&str, String)]) -> Url {
        let mut url = self.inner.base.clone();
        let joined = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        if !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in query {
                pairs.append_pair(key, value);
            }
        }
        url
    }

    /// GETs JSON, retrying transient failures per the policy.
    pub async fn get<T: DeserializeOwned>(&self, url: Url) -> Result<T, ApiError> {
        self.request(Method::GET, url, None::<&()>, true).await
    }

    /// Sends a request with an optional JSON body. `idempotent` requests are retried;
    /// others are tried exactly once.
    pub async fn request<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        method: Method,
        url: Url,
        body: Option<&B>,
        idempotent: bool,
    ) -> Result<T, ApiError> {
        let body = match body {
            Some(b) => Some(serde_json::to_vec(b).map_err(|e| ApiError::Validation {
                status: 0,
                field: None,
                message: format!("cannot encode the request: {e}"),
            })?),
            None => None,
        };
        let max_attempts = if idempotent {
            self.inner.retry.max_attempts.max(1)
        } else {
            1
        };
        let mut attempt = 1;
        loop {
            let err = match self.attempt(&method, &url, body.as_deref()).await {
                Ok(bytes) => return decode(&bytes),
                Err(err) => err,
            };
            if attempt >= max_attempts || !err.is_transient() {
                return Err(err);
            }
            let Some(wait) = self.wait_before_retry(&err, attempt) else {
                return Err(err);
            };
            // The path only: query values (search text, cursors) stay out of the log.
            tracing::warn!(
                "{method} {}: {err}; retry {attempt} in {} ms",
                url.path(),
                wait.as_millis()
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
            self.inner.stats.retries.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The pause before retrying after `err`, or `None` when the caller must be told instead.
    fn wait_before_retry(&self, err: &ApiError, attempt: u32) -> Option<Duration> {
        match err {
            // The gate holds the next attempt back; a wait too long for us was reported already.
            ApiError::RateLimited { retry_after, .. } => match retry_after {
                Some(wait) if *wait > self.inner.retry.max_retry_after => None,
                Some(_) => Some(Duration::ZERO),
                None => Some(self.backoff(attempt)),
            },
            _ => Some(self.backoff(attempt)),
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let mut rng = self
            .inner
            .jitter
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.inner.retry.backoff(attempt, &mut rng)
    }

    /// One request on the wire: success bytes, or the error it ended in.
    async fn attempt(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
    ) -> Result<Vec<u8>, ApiError> {
        let inner = &self.inner;
        self.admit().await?;
        if let Some(pacer) = &inner.pacer {
            pacer.wait().await;
        }
        inner.stats.attempts.fetch_add(1, Ordering::Relaxed);
        let result = self.exchange(method, url, body).await;
        if result.is_err() {
            inner.stats.failures.fetch_add(1, Ordering::Relaxed);
        }
        if let Err(err) = &result {
            self.note_rate_limit(err);
        }
        result
    }

    /// Waits for the shared rate-limit window; a wait longer than we sleep is an error.
    async fn admit(&self) -> Result<(), ApiError> {
        let inner = &self.inner;
        inner
            .gate
            .admit(inner.retry.max_retry_after)
            .await
            .map_err(|left| ApiError::RateLimited {
                retry_after: Some(left),
                message: "waiting out the server's rate limit".into(),
            })
    }

    /// A 429 closes the window for every request of this client (5 s without `Retry-After`).
    fn note_rate_limit(&self, err: &ApiError) {
        if let ApiError::RateLimited { retry_after, .. } = err {
            self.inner
                .gate
                .close_for(retry_after.unwrap_or(DEFAULT_RATE_LIMIT_WAIT));
        }
    }

    async fn exchange(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
    ) -> Result<Vec<u8>, ApiError> {
        let timeout = self.inner.request_timeout;
        let mut request = self.inner.client.request(method.clone(), url.clone());
        if let Some(body) = body {
            request = request
                .header(header::CONTENT_TYPE, "application/json")
                .body(body.to_vec());
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| transport_error(&e, timeout))?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| transport_error(&e, timeout))?
        {
            if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(ApiError::decode("reply larger than 32 MiB", &bytes));
            }
            bytes.extend_from_slice(&chunk);
        }
        if status.is_success() {
            return Ok(bytes);
        }
        Err(ApiError::from_status(status.as_u16(), retry_after, &bytes))
    }
}

/// reqwest is built with `rustls-no-provider`: the process must pick the crypto provider once,
/// before the first client is built, or building it panics.
/// An open streaming reply (`text/event-stream`), read chunk by chunk.
#[derive(Debug)]
pub struct Streaming {
    response: reqwest::Response,
}

impl Streaming {
    /// The next chunk of the body; `Ok(None)` when the server ended the stream. Nothing at all
    /// (not even a heartbeat) for `idle` is a timeout: the connection is presumed dead.
    pub async fn next_chunk(&mut self, idle: Duration) -> Result<Option<Vec<u8>>, ApiError> {
        match tokio::time::timeout(idle, self.response.chunk()).await {
            Err(_) => Err(ApiError::Timeout { after: idle }),
            Ok(Err(e)) => Err(transport_error(&e, idle)),
            Ok(Ok(chunk)) => Ok(chunk.map(|c| c.to_vec())),
        }
    }
}

impl Http {
    /// Opens a long-lived GET (server-sent events). It goes through the rate-limit gate like any
    /// request but is never retried here: the caller reconnects. `longest` bounds the whole
    /// stream; a stream that outlives it ends with a timeout and is reopened by the caller.
    pub async fn open_stream(&self, url: Url, longest: Duration) -> Result<Streaming, ApiError> {
        let inner = &self.inner;
        self.admit().await?;
        inner.stats.attempts.fetch_add(1, Ordering::Relaxed);
        let timeout = inner.request_timeout;
        let response = inner
            .client
            .get(url)
            .header(header::ACCEPT, "text/event-stream")
            .timeout(longest)
            .send()
            .await
            .map_err(|e| transport_error(&e, timeout))?;
        let status = response.status();
        if status.is_success() {
            return Ok(Streaming { response });
        }
        inner.stats.failures.fetch_add(1, Ordering::Relaxed);
        let retry_after = retry_after(response.headers());
        let body = tokio::time::timeout(timeout, response.bytes())
            .await
            .ok()
            .and_then(Result::ok)
            .map(|b| b.to_vec())
            .unwrap_or_default();
        let err = ApiError::from_status(status.as_u16(), retry_after, &body);
        self.note_rate_limit(&err);
        Err(err)
    }
}

/// A reply's `Retry-After` (seconds or an HTTP date), when it has one.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()))
}

fn install_crypto_provider() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        // An Err means another provider was installed first, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

fn default_headers(config: &HttpConfig) -> Result<HeaderMap, ApiError> {
    let invalid = |name: &str| ApiError::Validation {
        status: 0,
        field: Some(name.to_owned()),
        message: "not a valid HTTP header value".into(),
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    if let Some(key) = &config.api_key {
        let (name, text) = match &config.key_header {
            Some(name) => (
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid(name))?,
                key.expose_secret().to_owned(),
            ),
            None => (
                header::AUTHORIZATION,
                format!("Bearer {}", key.expose_secret()),
            ),
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| invalid("API key"))?;
        value.set_sensitive(true);
        headers.insert(name, value);
    }
    for (name, value) in &config.extra_headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid(name))?;
        let value = HeaderValue::from_str(value).map_err(|_| invalid(name.as_str()))?;
        headers.insert(name, value);
    }
    Ok(headers)
}

/// Percent-encodes an id for use as one path segment.
pub fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Decodes a complete success body. An empty body (204) decodes as `{}`.
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let body: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(body).map_err(|e| ApiError::decode(e.to_string(), bytes))
}

/// Maps a transport failure (no status, or a body cut short) to an error class.
fn transport_error(err: &reqwest::Error, timeout: Duration) -> ApiError {
    if err.is_timeout() {
        return ApiError::Timeout { after: timeout };
    }
    let what = if err.is_connect() {
        "cannot connect"
    } else if err.is_body() || err.is_decode() {
        "the connection dropped while reading the reply"
    } else {
        "the connection failed"
    };
    let detail = std::error::Error::source(err).map_or_else(String::new, |s| format!(" ({s})"));
    ApiError::Connection {
        message: crate::text::sanitize_line(&format!("{what}{detail}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_key_never_shows_in_debug_output() {
        let key = "sk_live_TOPSECRET_1234";
        let mut config = HttpConfig::new(
            Url::parse("https://api.example.com").unwrap(),
            Some(SecretString::from(key.to_owned())),
        );
        config
            .extra_headers
            .push(("X-Sub-Account-Id".into(), "sub_1".into()));
        let http = Http::new(config.clone()).unwrap();
        for text in [
            format!("{config:?}"),
            format!("{http:?}"),
            format!("{config:#?}"),
        ] {
            assert!(!text.contains("TOPSECRET"), "{text}");
        }
    }
}
