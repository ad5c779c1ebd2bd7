//! Write stage, what a build leaves behind when it stops: the staging folders and files it
//! is writing, removed when the process is interrupted, and the lock that makes two builds
//! into the same folder take turns.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::with_path;

/// The staging paths of the running build. A Ctrl-C handler calls [`Cleanup::remove_all`];
/// the writers do each step under [`Cleanup::hold`], so that an interruption never falls
/// between the two renames of a swap, nor lets a file be written after the cleanup. Files
/// written inside a tracked folder need only [`Cleanup::share`], so that they are written on
/// every core at once.
#[derive(Debug, Clone, Default)]
pub struct Cleanup {
    state: Arc<RwLock<Tracked>>,
}

#[derive(Debug, Default)]
struct Tracked {
    paths: Vec<PathBuf>,
    interrupted: bool,
}

/// The cleanup's list, held: no cleanup runs meanwhile.
pub struct Held<'a> {
    tracked: RwLockWriteGuard<'a, Tracked>,
}

/// The cleanup held for one write inside a tracked folder: other writes may run meanwhile,
/// the cleanup may not.
pub struct Shared<'a> {
    _tracked: RwLockReadGuard<'a, Tracked>,
}

impl Held<'_> {
    pub(crate) fn track(&mut self, path: &Path) {
        self.tracked.paths.push(path.to_path_buf());
    }

    pub(crate) fn untrack(&mut self, path: &Path) {
        self.tracked.paths.retain(|tracked| tracked != path);
    }

    /// Untracks many paths at once (one pass over the list, not one per path).
    pub(crate) fn untrack_all<'p>(&mut self, paths: impl IntoIterator<Item = &'p Path>) {
        let gone: std::collections::HashSet<&Path> = paths.into_iter().collect();
        self.tracked
            .paths
            .retain(|tracked| !gone.contains(tracked.as_path()));
    }
}

impl Cleanup {
    pub fn new() -> Cleanup {
        Cleanup::default()
    }

    /// Holds the list, or fails with `Interrupted` once the cleanup has run.
    pub fn hold(&self) -> io::Result<Held<'_>> {
        let tracked = self.state.write().unwrap_or_else(PoisonError::into_inner);
        if tracked.interrupted {
            return Err(interrupted());
        }
        Ok(Held { tracked })
    }

    /// Holds off the cleanup (not other writers), or fails with `Interrupted` once it has run.
    pub(crate) fn share(&self) -> io::Result<Shared<'_>> {
        let tracked = self.state.read().unwrap_or_else(PoisonError::into_inner);
        if tracked.interrupted {
            return Err(interrupted());
        }
        Ok(Shared { _tracked: tracked })
    }

    /// Holds the list if no one else does and the cleanup has not run.
    pub(crate) fn try_hold(&self) -> Option<Held<'_>> {
        let tracked = match self.state.try_write() {
            Ok(tracked) => tracked,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return None,
        };
        (!tracked.interrupted).then_some(Held { tracked })
    }

    /// Removes every staging path still tracked (after any step in progress has finished)
    /// and makes every later step fail.
    pub fn remove_all(&self) {
        let mut tracked = self.state.write().unwrap_or_else(PoisonError::into_inner);
        tracked.interrupted = true;
        for path in tracked.paths.drain(..) {
            let _ = fs::remove_dir_all(&path).or_else(|_| fs::remove_file(&path));
        }
    }
}

fn interrupted() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "the build was interrupted")
}

/// An exclusive lock on the folder that holds an output folder, its staging folder and its
/// archive's temporary file: released when dropped (or when the process ends, however it ends).
#[derive(Debug)]
pub struct OutputLock {
    _folder: fs::File,
}

impl OutputLock {
    /// Takes the lock of `folder`, calling `on_wait` once first if another build holds it.
    pub fn acquire(folder: &Path, on_wait: impl FnOnce()) -> io::Result<OutputLock> {
        // A lock on the folder itself, not on a file in it: nothing to leave behind, and the
        // output folder it holds can be swapped while locked.
        let file = fs::File::open(folder).map_err(|e| with_path(e, folder))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock().map_err(|e| with_path(e, folder))?;
            }
            Err(fs::TryLockError::Error(error)) => return Err(with_path(error, folder)),
        }
        Ok(OutputLock { _folder: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_all_deletes_tracked_folders_and_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join(".site.new-1");
        fs::create_dir_all(staging.join("fr")).unwrap();
        let archive = dir.path().join(".briefing-archive-1.zip");
        fs::write(&archive, "zip").unwrap();
        let kept = dir.path().join("site");
        fs::create_dir(&kept).unwrap();
        let cleanup = Cleanup::new();
        {
            let mut held = cleanup.hold().unwrap();
            held.track(&staging);
            held.track(&archive);
            held.track(&kept);
            held.untrack(&kept);
        }
        cleanup.remove_all();
        assert!(!staging.exists() && !archive.exists());
        assert!(kept.exists());
        assert_eq!(
            cleanup.hold().err().map(|e| e.kind()),
            Some(io::ErrorKind::Interrupted)
        );
    }

    #[test]
    fn a_second_lock_on_the_same_folder_waits() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutputLock::acquire(dir.path(), || panic!("nobody holds it yet")).unwrap();
        let waited = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                OutputLock::acquire(dir.path(), || {
                    waited.store(true, std::sync::atomic::Ordering::SeqCst)
                })
                .unwrap()
            });
            while !waited.load(std::sync::atomic::Ordering::SeqCst) {
                std::thread::yield_now();
            }
            drop(first);
            second.join().unwrap();
        });
    }
}
