//! The Marathon REST client: typed calls over `/v2/*`, retries for
//! idempotent reads, re-login on 401, and the `/v2/events` reader thread;
//! the mapping of Marathon's answers to [`MarathonError`] is in `errors`.

mod errors;
#[cfg(test)]
mod tests;

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::blocking::{Client, Response};
use reqwest::header::{ACCEPT, AUTHORIZATION};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::dcos::auth::ClusterAuth;
use crate::http::{TransportKind, classify};
use crate::marathon::MarathonError;
use crate::marathon::app_id::{api_url, normalize};
use crate::marathon::events::{EventParser, EventStream, MarathonEvent};
use crate::marathon::types::{App, Deployment, DeploymentResult, MarathonInfo, Task};
use errors::{decode_error, read_json, status_error, transport_error};

/// Attempts for an idempotent GET (the first try included). Retries fit
/// inside the request's `--timeout`: the timeout bounds the whole request,
/// and a try that timed out is not repeated.
const GET_ATTEMPTS: u32 = 3;
/// The first retry delay; doubled after each try.
const RETRY_DELAY: Duration = Duration::from_millis(300);
/// The longest pause between event-stream reconnects.
const MAX_STREAM_BACKOFF: Duration = Duration::from_secs(30);

/// Filters for `GET /v2/apps`.
#[derive(Debug, Clone, Default)]
pub struct AppQuery {
    /// Embed each app's tasks (`embed=apps.tasks`).
    pub embed_tasks: bool,
    /// A label selector, e.g. `HAPROXY_DEPLOYMENT_GROUP==nginx`.
    pub label: Option<String>,
    /// Only apps whose id contains this.
    pub id: Option<String>,
}

/// What `POST /v2/tasks/delete` answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum KillResult {
    /// With `scale=true`: the deployment that scales the app down.
    Deployment(DeploymentResult),
    /// Without: the tasks that are being killed.
    Killed(Vec<Task>),
}

struct Inner {
    base: Url,
    api: Client,
    stream: Client,
    auth: Arc<ClusterAuth>,
    timeout: Duration,
}

/// A Marathon API client. Cheap to clone; clones share credentials.
#[derive(Clone)]
pub struct MarathonClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for MarathonClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarathonClient")
            .field("base", &display_url(&self.inner.base))
            .finish_non_exhaustive()
    }
}

/// `url` without user info, query or fragment: safe to print.
pub fn display_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

impl MarathonClient {
    /// A client for Marathon at `base` (ending in `/`), using `api` for REST
    /// calls (per-request timeout `timeout`) and `stream` for `/v2/events`.
    pub fn new(
        base: Url,
        api: Client,
        stream: Client,
        auth: Arc<ClusterAuth>,
        timeout: Duration,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                base,
                api,
                stream,
                auth,
                timeout,
            }),
        }
    }

    /// Marathon's base URL (without credentials when printed via [`display_url`]).
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    fn url(&self, prefix: &[&str], id: Option<&str>, suffix: &[&str]) -> Url {
        api_url(&self.inner.base, prefix, id, suffix)
    }

    /// `GET /v2/apps` with filters, typed.
    pub fn list_apps(&self, query: &AppQuery) -> Result<Vec<App>, MarathonError> {
        #[derive(serde::Deserialize)]
        struct Apps {
            apps: Vec<App>,
        }
        let body: Apps = self.get_json(self.apps_url(query), None)?;
        Ok(body.apps)
    }

    /// `GET /v2/apps` with filters: the whole body (`{"apps": [...]}`), as
    /// marathon-lb reads it.
    pub fn list_apps_raw(&self, query: &AppQuery) -> Result<Value, MarathonError> {
        self.get_json(self.apps_url(query), None)
    }

    fn apps_url(&self, query: &AppQuery) -> Url {
        let mut url = self.url(&["v2", "apps"], None, &[]);
        {
            let mut pairs = url.query_pairs_mut();
            if query.embed_tasks {
                pairs.append_pair("embed", "apps.tasks");
            }
            if let Some(label) = &query.label {
                pairs.append_pair("label", label);
            }
            if let Some(id) = &query.id {
                pairs.append_pair("id", id);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        url
    }

    /// `GET /v2/apps/{id}` (tasks, deployments and counts embedded), typed.
    pub fn app(&self, id: &str) -> Result<App, MarathonError> {
        self.app_with_raw(id).map(|(app, _)| app)
    }

    /// `GET /v2/apps/{id}`: the app decoded, and as Marathon sent it (for a
    /// jq filter over fields the typed app does not keep).
    pub fn app_with_raw(&self, id: &str) -> Result<(App, Value), MarathonError> {
        let raw = self.app_raw(id)?;
        let url = self.url(&["v2", "apps"], Some(id), &[]);
        let app =
            <App as serde::Deserialize>::deserialize(&raw).map_err(|e| decode_error(&url, &e))?;
        Ok((app, raw))
    }

    /// `GET /v2/apps/{id}`: the `app` object as Marathon sent it.
    pub fn app_raw(&self, id: &str) -> Result<Value, MarathonError> {
        let url = self.url(&["v2", "apps"], Some(id), &[]);
        let mut body: Value = self.get_json(url.clone(), Some(&app_what(id)))?;
        body.get_mut("app")
            .map(Value::take)
            .ok_or_else(|| MarathonError::Decode {
                url: display_url(&url),
                detail: "no `app` in the answer".to_string(),
            })
    }

    /// `POST /v2/apps`: the created app and its deployment id (from the
    /// `Marathon-Deployment-Id` header or the body).
    pub fn create_app(&self, app: &Value) -> Result<(Value, Option<String>), MarathonError> {
        let url = self.url(&["v2", "apps"], None, &[]);
        let what = app
            .get("id")
            .and_then(Value::as_str)
            .map(app_what)
            .unwrap_or_else(|| "the app".to_string());
        let response = self.send(Method::POST, url.clone(), Some(app), Some(&what))?;
        let header_id = response
            .headers()
            .get("Marathon-Deployment-Id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body: Value = read_json(response, &url)?;
        let deployment_id = header_id.or_else(|| {
            body.pointer("/deployments/0/id")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        Ok((body, deployment_id))
    }

    /// `PUT /v2/apps/{id}[?force=true]` with a partial app definition.
    pub fn update_app(
        &self,
        id: &str,
        patch: &Value,
        force: bool,
    ) -> Result<DeploymentResult, MarathonError> {
        let mut url = self.url(&["v2", "apps"], Some(id), &[]);
        if force {
            url.query_pairs_mut().append_pair("force", "true");
        }
        self.write_json(Method::PUT, url, Some(patch), &app_what(id))
    }

    /// Sets an app's instance count (`PUT {"instances": n}`).
    pub fn scale_app(
        &self,
        id: &str,
        instances: u32,
        force: bool,
    ) -> Result<DeploymentResult, MarathonError> {
        self.update_app(id, &serde_json::json!({ "instances": instances }), force)
    }

    /// `DELETE /v2/apps/{id}[?force=true]`.
    pub fn delete_app(&self, id: &str, force: bool) -> Result<DeploymentResult, MarathonError> {
        let mut url = self.url(&["v2", "apps"], Some(id), &[]);
        if force {
            url.query_pairs_mut().append_pair("force", "true");
        }
        self.write_json(Method::DELETE, url, None, &app_what(id))
    }

    /// `GET /v2/apps/{id}/tasks`.
    pub fn app_tasks(&self, id: &str) -> Result<Vec<Task>, MarathonError> {
        #[derive(serde::Deserialize)]
        struct Tasks {
            tasks: Vec<Task>,
        }
        let url = self.url(&["v2", "apps"], Some(id), &["tasks"]);
        let body: Tasks = self.get_json(url, Some(&app_what(id)))?;
        Ok(body.tasks)
    }

    /// `GET /v2/tasks`: every task of every app.
    pub fn tasks(&self) -> Result<Vec<Task>, MarathonError> {
        #[derive(serde::Deserialize)]
        struct Tasks {
            tasks: Vec<Task>,
        }
        let body: Tasks = self.get_json(self.url(&["v2", "tasks"], None, &[]), None)?;
        Ok(body.tasks)
    }

    /// `POST /v2/tasks/delete[?scale=true][&force=true]` with `{"ids": [...]}`.
    pub fn kill_tasks(
        &self,
        ids: &[String],
        scale: bool,
        force: bool,
    ) -> Result<KillResult, MarathonError> {
        let mut url = self.url(&["v2", "tasks", "delete"], None, &[]);
        {
            let mut pairs = url.query_pairs_mut();
            if scale {
                pairs.append_pair("scale", "true");
            }
            if force {
                pairs.append_pair("force", "true");
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let body = serde_json::json!({ "ids": ids });
        let what = format!("task(s) {}", ids.join(", "));
        let answer: Value = self.write_json(Method::POST, url.clone(), Some(&body), &what)?;
        if scale {
            serde_json::from_value(answer)
                .map(KillResult::Deployment)
                .map_err(|e| decode_error(&url, &e))
        } else {
            #[derive(serde::Deserialize)]
            struct Tasks {
                tasks: Vec<Task>,
            }
            serde_json::from_value::<Tasks>(answer)
                .map(|t| KillResult::Killed(t.tasks))
                .map_err(|e| decode_error(&url, &e))
        }
    }

    /// `GET /v2/deployments`.
    pub fn deployments(&self) -> Result<Vec<Deployment>, MarathonError> {
        self.get_json(self.url(&["v2", "deployments"], None, &[]), None)
    }

    /// `GET /v2/queue`: the launch queue as Marathon sent it (`{"queue": [...]}`).
    pub fn queue(&self) -> Result<Value, MarathonError> {
        self.get_json(self.url(&["v2", "queue"], None, &[]), None)
    }

    /// `GET /v2/info`.
    pub fn info(&self) -> Result<MarathonInfo, MarathonError> {
        self.get_json(self.url(&["v2", "info"], None, &[]), None)
    }

    /// Subscribes to `/v2/events?plan-format=light&event_type=…` (all types
    /// when `event_types` is empty). Connects before returning, so a refused
    /// subscription is an error here; afterwards a reader thread reconnects
    /// with backoff and the API timeout never cuts the stream.
    pub fn events(&self, event_types: &[&str]) -> Result<EventStream, MarathonError> {
        let mut url = self.url(&["v2", "events"], None, &[]);
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("plan-format", "light");
            for t in event_types {
                pairs.append_pair("event_type", t);
            }
        }
        let first = self.open_stream(&url)?;
        let (sender, receiver) = mpsc::channel();
        let closed = Arc::new(AtomicBool::new(false));
        let client = self.clone();
        let stop = closed.clone();
        thread::spawn(move || client.pump_events(url, first, &sender, &stop));
        Ok(EventStream::new(receiver, closed))
    }

    fn open_stream(&self, url: &Url) -> Result<Response, MarathonError> {
        let inner = &self.inner;
        inner
            .auth
            .ensure_token(&inner.api)
            .map_err(MarathonError::Auth)?;
        let mut relogged = false;
        loop {
            let mut request = inner
                .stream
                .get(url.clone())
                .header(ACCEPT, "text/event-stream");
            if let Some(header) = inner.auth.header_for(url) {
                request = request.header(AUTHORIZATION, header);
            }
            tracing::debug!(url = %display_url(url), "GET (event stream)");
            let response = request
                .send()
                .map_err(|e| transport_error(&Method::GET, url, &e, inner.timeout))?;
            if self.relogin_after(response.status(), &mut relogged)? {
                continue;
            }
            if response.status().is_success() {
                return Ok(response);
            }
            return Err(status_error(&inner.auth, &Method::GET, url, response, None));
        }
    }

    /// After a 401, logs in again once per request; `true` when the request
    /// should be sent again with the new token.
    fn relogin_after(
        &self,
        status: reqwest::StatusCode,
        relogged: &mut bool,
    ) -> Result<bool, MarathonError> {
        if status.as_u16() != 401 || *relogged {
            return Ok(false);
        }
        *relogged = true;
        let inner = &self.inner;
        inner.auth.relogin(&inner.api).map_err(MarathonError::Auth)
    }

    fn pump_events(
        &self,
        url: Url,
        first: Response,
        sender: &mpsc::Sender<MarathonEvent>,
        closed: &AtomicBool,
    ) {
        let mut response = Some(first);
        let mut backoff = Duration::from_secs(1);
        while !closed.load(Ordering::SeqCst) {
            if let Some(mut stream) = response.take() {
                let mut parser = EventParser::new();
                let mut buf = [0u8; 8192];
                while !closed.load(Ordering::SeqCst) {
                    match stream.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            backoff = Duration::from_secs(1);
                            for event in parser.feed(&buf[..n]) {
                                if sender.send(event).is_err() {
                                    return;
                                }
                            }
                        }
                        Err(err) => {
                            tracing::debug!("event stream read failed: {err}");
                            break;
                        }
                    }
                }
            }
            if closed.load(Ordering::SeqCst) {
                return;
            }
            thread::sleep(backoff);
            backoff = (backoff.mul_f32(1.5)).min(MAX_STREAM_BACKOFF);
            match self.open_stream(&url) {
                Ok(r) => response = Some(r),
                Err(err) => tracing::debug!("event stream reconnect failed: {err}"),
            }
        }
    }

    fn get_json<T: DeserializeOwned>(
        &self,
        url: Url,
        what: Option<&str>,
    ) -> Result<T, MarathonError> {
        let response = self.send(Method::GET, url.clone(), None, what)?;
        read_json(response, &url)
    }

    fn write_json<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        what: &str,
    ) -> Result<T, MarathonError> {
        let response = self.send(method, url.clone(), body, Some(what))?;
        read_json(response, &url)
    }

    /// Sends one request. GETs are retried on transport errors and 5xx;
    /// writes never are, except once after a successful re-login on 401
    /// (the refused request changed nothing).
    fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        what: Option<&str>,
    ) -> Result<Response, MarathonError> {
        let inner = &self.inner;
        inner
            .auth
            .ensure_token(&inner.api)
            .map_err(MarathonError::Auth)?;
        let idempotent = method == Method::GET;
        let deadline = Instant::now() + inner.timeout;
        let mut attempt = 1;
        let mut relogged = false;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let mut request = inner
                .api
                .request(method.clone(), url.clone())
                .timeout(left.max(MIN_TRY));
            if let Some(header) = inner.auth.header_for(&url) {
                request = request.header(AUTHORIZATION, header);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            tracing::debug!(method = %method, url = %display_url(&url), attempt, "request");
            let retry = idempotent
                && attempt < GET_ATTEMPTS
                && Instant::now() + retry_pause(attempt) + MIN_TRY < deadline;
            match request.send() {
                Err(err) => {
                    let kind = classify(&err);
                    if retry && !matches!(kind, TransportKind::Tls | TransportKind::Timeout) {
                        pause(attempt);
                        attempt += 1;
                        continue;
                    }
                    return Err(transport_error(&method, &url, &err, inner.timeout));
                }
                Ok(response) => {
                    let status = response.status();
                    tracing::debug!(status = status.as_u16(), "response");
                    if status.is_success() {
                        return Ok(response);
                    }
                    if self.relogin_after(status, &mut relogged)? {
                        continue;
                    }
                    if status.is_server_error() && retry {
                        pause(attempt);
                        attempt += 1;
                        continue;
                    }
                    return Err(status_error(&inner.auth, &method, &url, response, what));
                }
            }
        }
    }
}

/// The shortest try worth starting: below it a retry would only time out.
const MIN_TRY: Duration = Duration::from_millis(200);

fn retry_pause(attempt: u32) -> Duration {
    RETRY_DELAY * 2u32.pow(attempt.saturating_sub(1))
}

fn pause(attempt: u32) {
    thread::sleep(retry_pause(attempt));
}

fn app_what(id: &str) -> String {
    format!("app '{}'", normalize(id))
}
