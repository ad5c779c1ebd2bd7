//! Serve stage: HTTP. Serves the last good site from memory, so that nothing outside it can
//! be reached; adds the live-reload script to HTML as it is served (built sites never carry
//! it); streams build events to open pages (Server-Sent Events); and the dev pages.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{Stream, StreamExt, stream};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use super::hosts::{AllowedHosts, require_own_host};
use super::preview;
use super::state::{DiagnosticView, Live, RunEvent, ServedFile, ServedSite};

/// Where the dev server's own endpoints live; no site page can sit there (see `request_key`).
pub const DEV_PREFIX: &str = "__briefing";
const LIVE_SCRIPT: &str = include_str!("live.js");

pub fn router(live: Arc<Live>, allowed: Arc<AllowedHosts>) -> Router {
    Router::new()
        .route("/__briefing/live.js", get(live_script))
        .route("/__briefing/events", get(events))
        .route("/__briefing/status", get(status))
        .route("/__briefing/side-by-side/{topic}", get(side_by_side))
        .route("/__briefing/translations/", get(translations))
        .route("/__briefing/translations", get(translations_folder))
        .fallback(site_file)
        .with_state(live)
        // A dev server must never let the browser keep an old page.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(CatchPanicLayer::new())
        // Outermost: nothing answers a request for another host.
        .layer(axum::middleware::from_fn_with_state(
            allowed,
            require_own_host,
        ))
}

/// Why a request path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadPath {
    NotAbsolute,
    Encoding,
    Traversal,
    Backslash,
}

impl BadPath {
    fn message(self) -> &'static str {
        match self {
            BadPath::NotAbsolute => "bad request: the path must start with a single /",
            BadPath::Encoding => "bad request: the path is not valid percent-encoded UTF-8",
            BadPath::Traversal => "bad request: the path may not contain . or .. segments",
            BadPath::Backslash => "bad request: the path may not contain backslashes",
        }
    }
}

/// The site file a request path names: `/fr/x/` → `fr/x/index.html`. Refuses anything that
/// could mean another place once decoded: `..`, `.`, encoded slashes, backslashes, NUL,
/// empty segments (`//etc`). The site is looked up in memory, so this is a second guard.
pub fn request_key(raw: &str) -> Result<String, BadPath> {
    let lowered = raw.to_ascii_lowercase();
    if raw.contains('\\') || lowered.contains("%5c") {
        return Err(BadPath::Backslash);
    }
    if lowered.contains("%2f") || lowered.contains("%00") {
        return Err(BadPath::Encoding);
    }
    let rest = raw.strip_prefix('/').ok_or(BadPath::NotAbsolute)?;
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .map_err(|_| BadPath::Encoding)?;
    if decoded.contains('\\') {
        return Err(BadPath::Backslash);
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (index, segment) in segments.iter().enumerate() {
        match *segment {
            "." | ".." => return Err(BadPath::Traversal),
            "" if index != last => return Err(BadPath::NotAbsolute),
            _ => {}
        }
    }
    let mut key = decoded.into_owned();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    Ok(key)
}

async fn site_file(State(live): State<Arc<Live>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed",
        )
            .into_response();
    }
    let key = match request_key(uri.path()) {
        Ok(key) => key,
        Err(bad) => return (StatusCode::BAD_REQUEST, bad.message()).into_response(),
    };
    let served = live.read();
    if let Some(file) = served.files.get(&key) {
        return file_response(&live, &served, &key, file, StatusCode::OK);
    }
    if !key.ends_with("/index.html")
        && key != "index.html"
        && served.files.contains_key(&format!("{key}/index.html"))
    {
        // Relative links need the trailing slash of a folder page.
        let location = match uri.query() {
            Some(query) => format!("{}/?{query}", uri.path()),
            None => format!("{}/", uri.path()),
        };
        return (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    not_found(&live, &served, &key)
}

fn not_found(live: &Live, served: &ServedSite, key: &str) -> Response {
    match served.files.get("404.html") {
        Some(page) => file_response(live, served, key, page, StatusCode::NOT_FOUND),
        None if served.errors.is_some() => {
            let page = preview::error_page(served);
            html_response(
                live,
                served,
                key,
                page.as_bytes(),
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn file_response(
    live: &Live,
    served: &ServedSite,
    key: &str,
    file: &ServedFile,
    status: StatusCode,
) -> Response {
    let content_type = content_type(if status == StatusCode::NOT_FOUND {
        "404.html"
    } else {
        key
    });
    if content_type.starts_with("text/html") {
        return html_response(live, served, key, &file.bytes, status);
    }
    let body = Body::from(Bytes::from_owner(file.bytes.clone()));
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// An HTML page with the live-reload script added before `</body>`.
fn html_response(
    live: &Live,
    served: &ServedSite,
    key: &str,
    html: &[u8],
    status: StatusCode,
) -> Response {
    let tag = script_tag(live, served.generation, key) + &super::banner::banner(served, key);
    let at = closing_body(html).unwrap_or(html.len());
    let mut page = Vec::with_capacity(html.len() + tag.len());
    page.extend_from_slice(&html[..at]);
    page.extend_from_slice(tag.as_bytes());
    page.extend_from_slice(&html[at..]);
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

pub fn script_tag(live: &Live, generation: u64, key: &str) -> String {
    format!(
        "<script src=\"/{DEV_PREFIX}/live.js\" data-path=\"{}\" data-generation=\"{generation}\" data-instance=\"{}\"></script>\n",
        escape_attribute(key),
        live.instance
    )
}

fn closing_body(html: &[u8]) -> Option<usize> {
    let needle = b"</body>";
    (0..=html.len().checked_sub(needle.len())?)
        .rev()
        .find(|&at| html[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

pub fn escape_attribute(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// The media type of a site file, with a charset for text.
pub fn content_type(key: &str) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let essence = mime.essence_str();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            essence,
            "application/javascript" | "application/json" | "image/svg+xml" | "application/xml"
        );
    if textual {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

async fn live_script() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/javascript; charset=utf-8",
        )],
        LIVE_SCRIPT,
    )
        .into_response()
}

#[derive(Deserialize)]
struct EventsQuery {
    #[serde(default)]
    path: String,
    since: Option<u64>,
    instance: Option<String>,
}

#[derive(Serialize)]
struct Hello<'a> {
    generation: u64,
    instance: &'a str,
    /// The page changed since it was served (or was served by another server).
    stale: bool,
    errors: Option<&'a [DiagnosticView]>,
}

/// What one page hears after a run.
#[derive(Serialize)]
struct BuildEvent<'a> {
    generation: u64,
    ok: bool,
    /// This page's output changed, appeared or disappeared.
    reload: bool,
    /// Changed outputs other than HTML pages (stylesheets, images…), for the page to refresh
    /// what it uses without a reload.
    resources: Vec<&'a str>,
    rendered: usize,
    changed: usize,
    duration_ms: f64,
    diagnostics: &'a [DiagnosticView],
}

async fn events(
    State(live): State<Arc<Live>>,
    Query(query): Query<EventsQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = live.events.subscribe();
    let watcher = PageWatcher::new(&live, query.path);
    let hello = {
        let served = live.read();
        let other_server = query
            .instance
            .as_deref()
            .is_some_and(|instance| instance != live.instance);
        let changed_since = query.since.is_some_and(|since| {
            served
                .changed_at
                .get(&watcher.path)
                .is_some_and(|generation| *generation > since)
        });
        let hello = Hello {
            generation: served.generation,
            instance: &live.instance,
            stale: other_server || changed_since,
            errors: served.errors.as_deref().map(Vec::as_slice),
        };
        json_event("hello", &hello)
    };
    let updates = stream::unfold(
        (receiver, watcher, live.clone()),
        |(mut receiver, mut watcher, live)| async move {
            let event = match receiver.recv().await {
                Ok(run) => watcher.build_event(&live, &run),
                // Missed runs: reloading is always correct.
                Err(RecvError::Lagged(_)) => json_event("reload", &()),
                Err(RecvError::Closed) => return None,
            };
            Some((event, (receiver, watcher, live)))
        },
    );
    let mut shutdown = live.shutdown.clone();
    let until_shutdown = async move {
        let _ = shutdown.wait_for(|stopping| *stopping).await;
    };
    let stream = stream::once(async { hello })
        .chain(updates)
        .take_until(until_shutdown)
        .map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The page at the other end of one event stream.
struct PageWatcher {
    path: String,
    /// For the side-by-side preview: the pages it shows, to reload it when they move.
    preview: Option<(String, Vec<Option<String>>)>,
}

impl PageWatcher {
    fn new(live: &Live, path: String) -> PageWatcher {
        let preview = path
            .strip_prefix(preview::PREVIEW_PREFIX)
            .map(|topic| topic.trim_end_matches('/').to_string())
            .map(|topic| {
                let frames = preview::frames(live.read().model.as_deref(), &topic);
                (topic, frames)
            });
        PageWatcher { path, preview }
    }

    fn build_event(&mut self, live: &Live, run: &RunEvent) -> Event {
        let report = &run.report;
        if run.translations_only {
            let reload = run.changed.contains(&self.path);
            return json_event("translations", &serde_json::json!({ "reload": reload }));
        }
        let mut reload = run.changed.contains(&self.path);
        if let Some((topic, frames)) = &mut self.preview
            && report.ok
        {
            let now = preview::frames(live.read().model.as_deref(), topic);
            reload = now != *frames;
            *frames = now;
        }
        let resources = report
            .changed_paths
            .iter()
            .map(String::as_str)
            .filter(|path| !path.ends_with(".html"))
            .collect();
        json_event(
            "build",
            &BuildEvent {
                generation: report.generation,
                ok: report.ok,
                reload,
                resources,
                rendered: report.rendered,
                changed: report.changed_paths.len(),
                duration_ms: report.duration_ms,
                diagnostics: &report.diagnostics,
            },
        )
    }
}

fn json_event(name: &str, data: &impl Serialize) -> Event {
    Event::default()
        .event(name)
        .data(serde_json::to_string(data).unwrap_or_else(|_| "{}".into()))
}

#[derive(Serialize)]
struct Status<'a> {
    generation: u64,
    files: usize,
    errors: Option<&'a [DiagnosticView]>,
    last: Option<&'a super::state::RunReport>,
}

async fn status(State(live): State<Arc<Live>>) -> Response {
    let served = live.read();
    let status = Status {
        generation: served.generation,
        files: served.files.len(),
        errors: served.errors.as_deref().map(Vec::as_slice),
        last: served.last.as_deref(),
    };
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(&status).unwrap_or_default(),
    )
        .into_response()
}

async fn side_by_side(State(live): State<Arc<Live>>, UrlPath(topic): UrlPath<String>) -> Response {
    let served = live.read();
    let key = format!("{}{topic}", preview::PREVIEW_PREFIX);
    match preview::page(&served, &topic) {
        Some(page) => html_response(&live, &served, &key, page.as_bytes(), StatusCode::OK),
        None => not_found(&live, &served, &key),
    }
}

async fn translations(State(live): State<Arc<Live>>) -> Response {
    let served = live.read();
    let key = super::translations::STATUS_KEY;
    match served.translations.as_deref() {
        Some(status) => {
            let page = super::translations::page(status);
            html_response(&live, &served, key, page.as_bytes(), StatusCode::OK)
        }
        None => not_found(&live, &served, key),
    }
}

async fn translations_folder() -> Response {
    (
        StatusCode::PERMANENT_REDIRECT,
        [(header::LOCATION, super::translations::status_path())],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_name_site_files() {
        assert_eq!(request_key("/").unwrap(), "index.html");
        assert_eq!(request_key("/fr/cyber/").unwrap(), "fr/cyber/index.html");
        assert_eq!(request_key("/fr/atom.xml").unwrap(), "fr/atom.xml");
        assert_eq!(
            request_key("/fr/d%C3%A9fense/").unwrap(),
            "fr/défense/index.html"
        );
    }

    #[test]
    fn paths_that_could_leave_the_site_are_refused() {
        let cases = [
            ("/../briefing.toml", BadPath::Traversal),
            ("/fr/./x", BadPath::Traversal),
            ("/%2e%2e/briefing.toml", BadPath::Traversal),
            ("/fr/%2E%2e/x", BadPath::Traversal),
            ("/fr%2f..%2fx", BadPath::Encoding),
            ("/x%00.html", BadPath::Encoding),
            ("/..%5cbriefing.toml", BadPath::Backslash),
            ("/fr\\..\\x", BadPath::Backslash),
            ("//etc/passwd", BadPath::NotAbsolute),
            ("fr/x", BadPath::NotAbsolute),
            ("/%ff", BadPath::Encoding),
        ];
        for (raw, expected) in cases {
            assert_eq!(request_key(raw), Err(expected), "{raw}");
        }
    }

    #[test]
    fn text_is_served_as_utf8() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("map.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("photo.png"), "image/png");
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body() {
        let html = b"<body><p>x</p></BODY>\n</html>";
        assert_eq!(closing_body(html), Some(14));
        assert_eq!(closing_body(b"<p>no body</p>"), None);
    }
}
