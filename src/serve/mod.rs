//! `briefing serve`: builds with drafts, serves the site from memory on loopback, watches the
//! project, reruns the pipeline over each batch of changed files, and tells the open pages
//! (reload, swapped stylesheet, or the errors of a failed build over the last good site).

pub mod banner;
pub mod hosts;
pub mod http;
pub mod pages;
pub mod preview;
pub mod state;
pub mod translations;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;

use tokio::net::TcpListener;

use crate::build::{BuildOptions, Pipeline};
use crate::check::translations::SourceDigestMemo;
use crate::diagnostic::display_path;
use crate::model::SiteModel;
use crate::search::memo::TermMemos;
use crate::search::{IndexCache, index_outputs};
use crate::urls::LinkStyle;
use state::Live;
use watch::ProjectWatcher;

/// The port tried first when none is given (Zola's), then the next ones up while taken.
pub const DEFAULT_PORT: u16 = 1111;
const PORTS_TRIED: u16 = 100;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// `None`: the default port or the next free one; `Some(0)`: any free port.
    pub port: Option<u16>,
    /// Loopback unless given.
    pub bind: IpAddr,
    pub open: bool,
    /// Host names answered besides the loopback names and the bound address (for a proxy).
    pub allowed_hosts: Vec<String>,
    /// Colours in terminal diagnostics.
    pub styled: bool,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            root: root.into(),
            port: None,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            open: false,
            allowed_hosts: Vec::new(),
            styled: false,
        }
    }
}

/// A failure of the server itself (not of the site's files, which are diagnostics).
#[derive(Debug)]
pub struct ServeError(pub String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runs the dev server until Ctrl-C (or SIGTERM).
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let root = options
        .root
        .canonicalize()
        .map_err(|error| ServeError(format!("{}: {error}", options.root.display())))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("briefing-http")
        .enable_all()
        .build()
        .map_err(|error| ServeError(format!("cannot start the server: {error}")))?;
    let result = runtime.block_on(run(root, options));
    // Nothing is left to wait for: do not let idle worker threads delay the exit.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    result
}

async fn run(root: PathBuf, options: ServeOptions) -> Result<(), ServeError> {
    let listener = bind(options.bind, options.port).await?;
    let address = listener
        .local_addr()
        .map_err(|error| ServeError(format!("cannot read the server's address: {error}")))?;
    let url = server_url(address);

    let (stop, stopping) = tokio::sync::watch::channel(false);
    let live = Arc::new(Live::new(root.clone(), stopping));
    live.set_project_root(&root);
    let (changes, batches) = channel::<Vec<PathBuf>>();
    let watcher = ProjectWatcher::start(&root, move |paths| {
        // The builder is gone only when the server is stopping.
        let _ = changes.send(paths);
    })
    .map_err(|error| ServeError(format!("cannot watch {}: {error}", root.display())))?;

    let mut pipeline = Pipeline::new(
        &root,
        BuildOptions {
            drafts: true,
            link_style: LinkStyle::Server,
            base_url: Some(url.clone()),
        },
    );
    // The first build starts from the parses the last `build` kept; `serve` does not write
    // them (its own stay in memory).
    pipeline.keep_parses(true);
    let indexer = Indexer::start(live.clone())?;
    let (pipeline, memo) = first_build(pipeline, &live, &indexer, options.styled).await?;
    announce(&url, &options, address);
    let builder = {
        let live = live.clone();
        let styled = options.styled;
        std::thread::Builder::new()
            .name("briefing-build".into())
            .spawn({
                let index = indexer.handle();
                move || build_loop(pipeline, memo, &live, &index, &batches, styled)
            })
            .map_err(|error| ServeError(format!("cannot start the builder: {error}")))?
    };
    if options.open
        && let Err(error) = open::that_detached(&url)
    {
        eprintln!("warning: cannot open a browser: {error}");
    }

    let allowed = Arc::new(hosts::AllowedHosts::new(address, &options.allowed_hosts));
    let served = axum::serve(listener, http::router(live.clone(), allowed))
        .with_graceful_shutdown(async move {
            stop_signal().await;
            // Ends the live-reload streams, which would otherwise keep the server waiting.
            let _ = stop.send(true);
        })
        .await;
    watcher.stop();
    let _ = builder.join();
    indexer.stop();
    served.map_err(|error| ServeError(format!("the server stopped: {error}")))?;
    println!("Stopped.");
    Ok(())
}

/// The first run, over the whole project; with its search indexes when it succeeded, so that
/// the site is whole before its address is given.
async fn first_build(
    mut pipeline: Pipeline,
    live: &Arc<Live>,
    indexer: &Indexer,
    styled: bool,
) -> Result<(Pipeline, SourceDigestMemo), ServeError> {
    pipeline.defer_search_index();
    let live = live.clone();
    let index = indexer.handle();
    let (pipeline, memo, built) = tokio::task::spawn_blocking(move || {
        let mut memo = SourceDigestMemo::default();
        let built = rebuild(&mut pipeline, None, &live, &index, &mut memo, styled);
        (pipeline, memo, built)
    })
    .await
    .map_err(|error| ServeError(format!("the first build stopped: {error}")))?;
    if built {
        indexer.wait();
    }
    Ok((pipeline, memo))
}

async fn bind(address: IpAddr, port: Option<u16>) -> Result<TcpListener, ServeError> {
    let cannot = |port: u16, error: std::io::Error| {
        ServeError(format!(
            "cannot listen on {}: {error}",
            SocketAddr::new(address, port)
        ))
    };
    if let Some(port) = port {
        return TcpListener::bind((address, port))
            .await
            .map_err(|error| cannot(port, error));
    }
    for port in DEFAULT_PORT..DEFAULT_PORT + PORTS_TRIED {
        match TcpListener::bind((address, port)).await {
            Ok(listener) => {
                if port != DEFAULT_PORT {
                    println!("Port {DEFAULT_PORT} is taken; using port {port}.");
                }
                return Ok(listener);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(error) => return Err(cannot(port, error)),
        }
    }
    Err(ServeError(format!(
        "ports {DEFAULT_PORT} to {} are all taken: choose one with --port",
        DEFAULT_PORT + PORTS_TRIED - 1
    )))
}

/// The address pages are fetched from: loopback when listening on every interface.
fn server_url(address: SocketAddr) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), address.port())
        }
        _ => address,
    };
    format!("http://{host}/")
}

fn announce(url: &str, options: &ServeOptions, address: SocketAddr) {
    println!("Serving the site with drafts at {url}");
    println!("Side by side: {url}{}<topic-id>", preview::PREVIEW_PREFIX);
    println!(
        "Translations: {url}{}",
        translations::status_path().trim_start_matches('/')
    );
    if !address.ip().is_loopback() {
        println!(
            "warning: listening on {} (--bind): other machines on the network can reach this server",
            address.ip()
        );
        println!(
            "It answers only requests naming {} or a loopback name; add the names others use with --allowed-host NAME.",
            address
        );
    }
    println!(
        "Watching {} for changes; press Ctrl-C to stop.",
        options.root.display()
    );
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Reruns the pipeline for each batch of changes, folding batches that queued up meanwhile
/// into one run. Ends when the watcher is stopped.
fn build_loop(
    mut pipeline: Pipeline,
    mut memo: SourceDigestMemo,
    live: &Live,
    index: &IndexerHandle,
    batches: &Receiver<Vec<PathBuf>>,
    styled: bool,
) {
    while let Ok(mut paths) = batches.recv() {
        while let Ok(more) = batches.try_recv() {
            paths.extend(more);
        }
        paths.sort();
        paths.dedup();
        rebuild(&mut pipeline, Some(&paths), live, index, &mut memo, styled);
    }
}

/// One run, published to the server and reported in the terminal; whether it succeeded.
fn rebuild(
    pipeline: &mut Pipeline,
    changed: Option<&[PathBuf]>,
    live: &Live,
    index: &IndexerHandle,
    memo: &mut SourceDigestMemo,
    styled: bool,
) -> bool {
    let started = Instant::now();
    let trigger: Vec<String> = changed
        .unwrap_or_default()
        .iter()
        .map(|path| display_path(path))
        .collect();
    let built = match pipeline.run(changed) {
        Ok(site) => {
            let report = live.publish_site(&site, pipeline.model.clone(), trigger);
            for problem in &report.diagnostics {
                eprintln!("{}\n", problem.text);
            }
            println!(
                "{}: rendered {} of {} outputs, {} changed, in {:.1} ms",
                what_changed(changed),
                report.rendered,
                site.outputs.len(),
                report.changed_paths.len(),
                started.elapsed().as_secs_f64() * 1000.0
            );
            if let Some(model) = &pipeline.model {
                index.update(model.clone(), report.trigger.clone());
            }
            true
        }
        Err(failure) => {
            for diagnostic in &failure.diagnostics {
                eprintln!("{}\n", diagnostic.render(styled));
            }
            let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: build failed with {errors} error{}; still serving the last good site",
                if errors == 1 { "" } else { "s" }
            );
            live.publish_failure(
                &failure.diagnostics,
                trigger,
                started.elapsed().as_secs_f64() * 1000.0,
            );
            false
        }
    };
    // After the reload went out: the status page never delays the edited page.
    if let Some(status) = crate::check::pipeline_status(pipeline, memo) {
        live.publish_translations(status);
    }
    built
}

/// Where the builder sends each run's model.
struct IndexerHandle(std::sync::mpsc::Sender<(Arc<SiteModel>, Vec<String>)>);

impl IndexerHandle {
    fn update(&self, model: Arc<SiteModel>, trigger: Vec<String>) {
        // The indexer is gone only when the server is stopping.
        let _ = self.0.send((model, trigger));
    }
}

/// Makes the search indexes on a thread of its own from each run's model, latest first: an
/// index reads every topic of its language, and the reload of an edited page must not wait
/// for it. Search pages reload when their index changes.
struct Indexer {
    models: std::sync::mpsc::Sender<(Arc<SiteModel>, Vec<String>)>,
    /// Told after each index is published (holding at most one word).
    published: Receiver<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Indexer {
    fn start(live: Arc<Live>) -> Result<Indexer, ServeError> {
        let (models, received) = channel::<(Arc<SiteModel>, Vec<String>)>();
        let (tell, published) = std::sync::mpsc::sync_channel(1);
        // Threads of its own, scheduled only when the cores are otherwise idle: on two cores
        // an index of 20,000 topics takes seconds, and the rebuild of the next edited page
        // must have them first.
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|at| format!("briefing-search-index-{at}"))
            .start_handler(|_| run_when_idle())
            .build()
            .map_err(|error| ServeError(format!("cannot start the indexer: {error}")))?;
        let thread = std::thread::Builder::new()
            .name("briefing-search-index".into())
            .spawn(move || {
                run_when_idle();
                let mut cache = IndexCache::default();
                let mut memos = TermMemos::default();
                while let Ok(mut latest) = received.recv() {
                    while let Ok(newer) = received.try_recv() {
                        latest = newer;
                    }
                    let (model, trigger) = latest;
                    let started = Instant::now();
                    let outputs = pool.install(|| {
                        index_outputs(&model, LinkStyle::Server, &mut cache, &mut memos)
                    });
                    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
                    if let Some(report) = live.publish_extra(&outputs, trigger, duration_ms) {
                        println!(
                            "Search index: {} updated in {duration_ms:.1} ms",
                            report.changed_paths.join(", ")
                        );
                    }
                    let _ = tell.try_send(());
                }
            })
            .map_err(|error| ServeError(format!("cannot start the indexer: {error}")))?;
        Ok(Indexer {
            models,
            published,
            thread,
        })
    }

    /// Waits until an index has been published since the last wait.
    fn wait(&self) {
        let _ = self.published.recv();
    }

    fn handle(&self) -> IndexerHandle {
        IndexerHandle(self.models.clone())
    }

    /// Waits for the index in progress; every handle must be gone.
    fn stop(self) {
        drop(self.models);
        let _ = self.thread.join();
    }
}

/// Puts the calling thread in the idle scheduling class (`SCHED_IDLE` on Linux): it runs
/// only on a core no other thread wants. Where that cannot be done it runs as it was.
fn run_when_idle() {
    #[cfg(unix)]
    use thread_priority::{
        NormalThreadSchedulePolicy, ThreadPriority, ThreadSchedulePolicy,
        set_thread_priority_and_policy, thread_native_id,
    };
    #[cfg(unix)]
    let _ = set_thread_priority_and_policy(
        thread_native_id(),
        ThreadPriority::Min,
        ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
    );
}

fn what_changed(changed: Option<&[PathBuf]>) -> String {
    match changed {
        None => "Built".into(),
        Some([one]) => display_path(one),
        Some(paths) => match paths.first() {
            Some(first) => format!("{} and {} more", display_path(first), paths.len() - 1),
            None => "Rebuilt".into(),
        },
    }
}
