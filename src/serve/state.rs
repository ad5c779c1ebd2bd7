//! Serve stage: the site as the dev server holds it. The builder thread publishes each run
//! (a `Site` or its diagnostics) here; the HTTP handlers read the last good site from memory
//! and the live-reload streams learn which outputs each run changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use serde::Serialize;
use tokio::sync::{broadcast, watch};

use crate::build::Site;
use crate::check::translations::TranslationStatus;
use crate::diagnostic::Diagnostic;
use crate::model::SiteModel;
use crate::output::{Content, Output};
use crate::source::Digest;

/// One file of the served site.
#[derive(Debug, Clone)]
pub struct ServedFile {
    pub bytes: Arc<[u8]>,
    pub digest: Digest,
}

/// A diagnostic as the browser overlay shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DiagnosticView {
    pub severity: String,
    /// `path:line:col`.
    pub location: String,
    pub message: String,
    /// The rustc-style text the terminal shows, without colours.
    pub text: String,
}

impl DiagnosticView {
    pub fn of(diagnostic: &Diagnostic) -> DiagnosticView {
        DiagnosticView {
            severity: if diagnostic.is_error() {
                "error"
            } else {
                "warning"
            }
            .into(),
            location: diagnostic.location(),
            message: diagnostic.message.clone(),
            text: diagnostic.render(false),
        }
    }
}

/// What one run did, for the live-reload events and `/__briefing/status`.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub generation: u64,
    pub ok: bool,
    /// Source files (relative to the project) whose change started the run.
    pub trigger: Vec<String>,
    /// Outputs rendered by this run (the others came from the render cache).
    pub rendered: usize,
    pub rendered_paths: Vec<String>,
    /// Outputs whose bytes differ from the previous good site: changed, added or removed.
    pub changed_paths: Vec<String>,
    pub duration_ms: f64,
    pub diagnostics: Vec<DiagnosticView>,
}

/// Sent to every live-reload stream after a run.
#[derive(Debug)]
pub struct RunEvent {
    pub report: Arc<RunReport>,
    pub changed: HashSet<String>,
    /// Only the translation status changed: a `translations` event, which only the status
    /// page acts on, rather than a build event.
    pub translations_only: bool,
}

/// The served site and what the live-reload streams need to know about it.
#[derive(Default)]
pub struct ServedSite {
    pub files: HashMap<String, ServedFile>,
    /// Output path → generation of the run that last changed, added or removed it.
    pub changed_at: HashMap<String, u64>,
    /// Files published apart from the runs (the search indexes), which a run leaves alone.
    pub extra: HashSet<String>,
    /// `Site::generation` of the site served (0: none yet), which the next site's
    /// `delta` may be counted from.
    pub outputs_generation: u64,
    /// The model of the served site, for the side-by-side preview.
    pub model: Option<Arc<SiteModel>>,
    pub generation: u64,
    /// The diagnostics of the last run when it failed: the site served is then older.
    pub errors: Option<Arc<Vec<DiagnosticView>>>,
    pub last: Option<Arc<RunReport>>,
    /// The translation status after the last run, for the status page.
    pub translations: Option<Arc<TranslationStatus>>,
    /// The project folder, where the side-by-side view reads the files and git history of
    /// outdated translations.
    pub project_root: Option<std::path::PathBuf>,
}

impl ServedSite {
    /// A new generation of the site: `files` replaced, `gone` removed. Returns the
    /// generation and the paths it changed, sorted.
    fn replace(
        &mut self,
        files: Vec<(String, ServedFile)>,
        gone: Vec<String>,
    ) -> (u64, Vec<String>) {
        self.generation += 1;
        let mut changed = Vec::with_capacity(files.len() + gone.len());
        for (path, file) in files {
            self.files.insert(path.clone(), file);
            changed.push(path);
        }
        for path in gone {
            self.files.remove(&path);
            changed.push(path);
        }
        for path in &changed {
            self.changed_at.insert(path.clone(), self.generation);
        }
        changed.sort();
        (self.generation, changed)
    }
}

/// Shared between the builder thread and the HTTP handlers.
pub struct Live {
    pub site: RwLock<ServedSite>,
    /// Distinguishes this server from an earlier one on the same port, so that a page
    /// served by a previous `briefing serve` reloads when it reconnects.
    pub instance: String,
    pub events: broadcast::Sender<Arc<RunEvent>>,
    /// Turns true on shutdown, which ends the live-reload streams.
    pub shutdown: watch::Receiver<bool>,
    /// The project folder: no file whose real path is outside it is served.
    pub root: PathBuf,
}

impl Live {
    pub fn new(root: PathBuf, shutdown: watch::Receiver<bool>) -> Live {
        Live {
            site: RwLock::new(ServedSite::default()),
            instance: format!(
                "{:x}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |since| since.as_nanos())
            ),
            events: broadcast::channel(64).0,
            shutdown,
            root,
        }
    }

    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, ServedSite> {
        self.site
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, ServedSite> {
        self.site
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes a successful run the served site: only outputs whose digest changed are
    /// replaced; files no longer produced are dropped. Returns the report sent to browsers.
    pub fn publish_site(
        &self,
        site: &Site,
        model: Option<Arc<SiteModel>>,
        trigger: Vec<String>,
    ) -> Arc<RunReport> {
        // Copied files are read before taking the lock, so that requests never wait on disk.
        let loaded = {
            let served = self.read();
            match &site.delta {
                // Only this thread publishes sites: the generation cannot change meanwhile.
                Some(delta) if served.outputs_generation == delta.since => {
                    let revised = delta.indices.iter().map(|&index| &site.outputs[index]);
                    load_changed(&self.root, revised, &served.files)
                }
                _ => load_changed(&self.root, site.outputs.iter(), &served.files),
            }
        };
        let mut served = self.write();
        // Without new paths and with as many files as outputs (and extras), nothing is gone.
        let added = loaded
            .files
            .iter()
            .any(|(path, _)| !served.files.contains_key(path));
        let mut gone = Vec::new();
        if added || served.files.len() != site.outputs.len() + served.extra.len() {
            let current: HashSet<&str> = site.outputs.iter().map(|o| o.path.as_str()).collect();
            gone = served
                .files
                .keys()
                .filter(|path| !current.contains(path.as_str()) && !served.extra.contains(*path))
                .cloned()
                .collect();
        }
        let (generation, changed) = served.replace(loaded.files, gone);
        served.outputs_generation = site.generation;
        served.model = model;
        served.errors = None;
        let mut diagnostics: Vec<DiagnosticView> = loaded.problems;
        diagnostics.extend(site.warnings.iter().map(DiagnosticView::of));
        diagnostics.sort_by(|a, b| a.location.cmp(&b.location));
        let report = Arc::new(RunReport {
            generation,
            ok: true,
            trigger,
            rendered: site.rendered,
            rendered_paths: site.rendered_paths.clone(),
            changed_paths: changed,
            duration_ms: site.duration.as_secs_f64() * 1000.0,
            diagnostics,
        });
        served.last = Some(report.clone());
        drop(served);
        self.announce(&report);
        report
    }

    /// The files published apart from the runs (the search indexes): each replaces the file
    /// of its path if its digest differs, and earlier ones no longer given are dropped.
    /// Returns the report, or `None` when nothing changed.
    pub fn publish_extra(
        &self,
        outputs: &[Output],
        trigger: Vec<String>,
        duration_ms: f64,
    ) -> Option<Arc<RunReport>> {
        let loaded = {
            let served = self.read();
            load_changed(&self.root, outputs.iter(), &served.files)
        };
        let given: HashSet<String> = outputs.iter().map(|o| o.path.clone()).collect();
        let mut served = self.write();
        let gone: Vec<String> = served.extra.difference(&given).cloned().collect();
        if loaded.files.is_empty() && gone.is_empty() {
            served.extra = given;
            return None;
        }
        let (generation, changed) = served.replace(loaded.files, gone);
        served.extra = given;
        let report = Arc::new(RunReport {
            generation,
            ok: true,
            trigger,
            rendered: 0,
            rendered_paths: Vec::new(),
            changed_paths: changed,
            duration_ms,
            diagnostics: loaded.problems,
        });
        // `last` stays the report of the run, which this completes.
        drop(served);
        self.announce(&report);
        Some(report)
    }

    /// A failed run: the last good site stays served, and the browsers show the errors.
    pub fn publish_failure(
        &self,
        diagnostics: &[Diagnostic],
        trigger: Vec<String>,
        duration_ms: f64,
    ) -> Arc<RunReport> {
        let views: Vec<DiagnosticView> = diagnostics.iter().map(DiagnosticView::of).collect();
        let mut served = self.write();
        served.generation += 1;
        let report = Arc::new(RunReport {
            generation: served.generation,
            ok: false,
            trigger,
            rendered: 0,
            rendered_paths: Vec::new(),
            changed_paths: Vec::new(),
            duration_ms,
            diagnostics: views.clone(),
        });
        served.errors = Some(Arc::new(views));
        served.last = Some(report.clone());
        drop(served);
        self.announce(&report);
        report
    }

    /// Where the project is, for the pages that read its files.
    pub fn set_project_root(&self, root: &std::path::Path) {
        self.write().project_root = Some(root.to_path_buf());
    }

    /// The translation status after a run; an open status page reloads when it changed.
    pub fn publish_translations(&self, status: TranslationStatus) {
        let mut served = self.write();
        if served.translations.as_deref() == Some(&status) {
            return;
        }
        served.translations = Some(Arc::new(status));
        served.generation += 1;
        let generation = served.generation;
        let page = super::translations::STATUS_KEY.to_string();
        served.changed_at.insert(page.clone(), generation);
        let report = Arc::new(RunReport {
            generation,
            ok: served.errors.is_none(),
            trigger: Vec::new(),
            rendered: 0,
            rendered_paths: Vec::new(),
            changed_paths: vec![page.clone()],
            duration_ms: 0.0,
            diagnostics: Vec::new(),
        });
        drop(served);
        let event = RunEvent {
            report,
            changed: HashSet::from([page]),
            translations_only: true,
        };
        let _ = self.events.send(Arc::new(event));
    }

    fn announce(&self, report: &Arc<RunReport>) {
        let event = RunEvent {
            report: report.clone(),
            changed: report.changed_paths.iter().cloned().collect(),
            translations_only: false,
        };
        // No receiver means no open page: nothing to tell.
        let _ = self.events.send(Arc::new(event));
    }
}

struct Loaded {
    files: Vec<(String, ServedFile)>,
    problems: Vec<DiagnosticView>,
}

/// The outputs whose digest differs from what is served, with their bytes.
fn load_changed<'a>(
    root: &Path,
    outputs: impl Iterator<Item = &'a Output>,
    served: &HashMap<String, ServedFile>,
) -> Loaded {
    let mut loaded = Loaded {
        files: Vec::new(),
        problems: Vec::new(),
    };
    for output in outputs {
        if served
            .get(&output.path)
            .is_some_and(|file| file.digest == output.digest)
        {
            continue;
        }
        let bytes: Arc<[u8]> = match &output.content {
            Content::Bytes(bytes) => bytes.clone(),
            Content::Placed { .. } => unreachable!("serve writes no staging folder"),
            Content::Kept { .. } => unreachable!("serve starts from no output record"),
            // Resolved now: a file swapped for a link since it was read is not served.
            Content::Copy(source) => match crate::symlinks::read_inside(root, source) {
                Ok(bytes) => bytes.into(),
                Err(error) => {
                    loaded
                        .problems
                        .push(DiagnosticView::of(&Diagnostic::warning(
                            "io",
                            Path::new(source),
                            format!("cannot read {}: {error}", source.display()),
                        )));
                    continue;
                }
            },
        };
        loaded.files.push((
            output.path.clone(),
            ServedFile {
                bytes,
                digest: output.digest,
            },
        ));
    }
    loaded
}
