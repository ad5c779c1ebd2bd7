//! Serve stage: file watching. notify with the full debouncer turns an editor's save (write
//! in place, temp file renamed over, delete then create, whole folders moved) into one batch
//! of project-relative paths; notify stays behind this module.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::source::is_ignored_name;

/// Quiet time after the last event of a save before the batch goes out. Editors finish a save
/// (temp file, rename, delete of the backup) within a few milliseconds; this keeps the edit to
/// reload time short while still seeing a save as one change.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// The folders the pipeline reads, watched recursively; `briefing.toml` is seen through a
/// non-recursive watch of the project folder.
pub const WATCHED_FOLDERS: [&str; 3] = ["content", "locales", "themes"];

type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Watches a project while alive.
pub struct ProjectWatcher {
    debouncer: Arc<Mutex<Option<Watcher>>>,
}

impl ProjectWatcher {
    /// Calls `on_change` from the watcher's thread with each batch of changed paths, relative
    /// to `root` (which must be canonical, as event paths are).
    pub fn start(
        root: &Path,
        mut on_change: impl FnMut(Vec<PathBuf>) + Send + 'static,
    ) -> notify::Result<ProjectWatcher> {
        let shared: Arc<Mutex<Option<Watcher>>> = Arc::new(Mutex::new(None));
        let handle: Weak<Mutex<Option<Watcher>>> = Arc::downgrade(&shared);
        let events_root = root.to_path_buf();
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let events = match result {
                Ok(events) => events,
                Err(errors) => {
                    for error in errors {
                        eprintln!("warning: file watching: {error}");
                    }
                    return;
                }
            };
            let mut changed = Vec::new();
            for event in &events {
                if !is_content_change(&event.kind) {
                    continue;
                }
                for path in &event.paths {
                    if let Some(relative) = project_path(&events_root, path) {
                        if WATCHED_FOLDERS
                            .iter()
                            .any(|folder| relative == Path::new(folder))
                            && path.is_dir()
                        {
                            // A watched folder (re)appeared: its old watch died with it.
                            watch_folder(&handle, path);
                        }
                        changed.push(relative);
                    }
                }
            }
            changed.sort();
            changed.dedup();
            if !changed.is_empty() {
                on_change(changed);
            }
        })?;
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        for folder in WATCHED_FOLDERS {
            let path = root.join(folder);
            if path.is_dir() {
                debouncer.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        *lock(&shared) = Some(debouncer);
        Ok(ProjectWatcher { debouncer: shared })
    }

    /// Stops watching and waits for the watcher's thread to end.
    pub fn stop(self) {
        let debouncer = lock(&self.debouncer).take();
        if let Some(debouncer) = debouncer {
            debouncer.stop();
        }
    }
}

fn lock(shared: &Mutex<Option<Watcher>>) -> std::sync::MutexGuard<'_, Option<Watcher>> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn watch_folder(handle: &Weak<Mutex<Option<Watcher>>>, path: &Path) {
    if let Some(shared) = handle.upgrade()
        && let Some(debouncer) = lock(&shared).as_mut()
        && let Err(error) = debouncer.watch(path, RecursiveMode::Recursive)
    {
        eprintln!("warning: cannot watch {}: {error}", path.display());
    }
}

/// Reads are reported too on Linux (opening a file to serve or parse it): they must never
/// start a build, or every build would start another. Closing a file written to is a write.
fn is_content_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        // Metadata changes (touch, chmod) cannot change a digest.
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    }
}

/// The project-relative path of an event, if the pipeline reads it.
fn project_path(root: &Path, path: &Path) -> Option<PathBuf> {
    let relative = path.strip_prefix(root).ok()?;
    if relative == Path::new(CONFIG_FILE) {
        return Some(relative.to_path_buf());
    }
    let mut components = relative.components();
    let first = components.next()?.as_os_str().to_str()?;
    if !WATCHED_FOLDERS.contains(&first) {
        return None;
    }
    let ignored = relative
        .components()
        .any(|part| part.as_os_str().to_str().is_none_or(is_ignored_name));
    (!ignored).then(|| relative.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_pipeline_inputs_are_changes() {
        let root = Path::new("/project");
        let seen = |path: &str| project_path(root, &root.join(path));
        assert_eq!(
            seen("content/x/index.fr.md"),
            Some(PathBuf::from("content/x/index.fr.md"))
        );
        assert_eq!(seen("briefing.toml"), Some(PathBuf::from("briefing.toml")));
        assert_eq!(seen("themes"), Some(PathBuf::from("themes")));
        assert_eq!(seen("site/index.html"), None);
        assert_eq!(seen(".git/index"), None);
        assert_eq!(seen("content/x/.index.fr.md.swp"), None);
        assert_eq!(seen("content/x/index.fr.md~"), None);
        assert_eq!(seen("content/x/index.fr.md___jb_tmp___"), None);
        assert_eq!(seen("briefing.toml.tmp"), None);
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{CreateKind, MetadataKind};
        assert!(!is_content_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_content_change(&EventKind::Modify(
            ModifyKind::Metadata(MetadataKind::WriteTime)
        )));
        assert!(is_content_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_content_change(&EventKind::Create(CreateKind::File)));
        assert!(is_content_change(&EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }
}
