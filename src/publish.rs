//! Write stage, as a whole: the checked destinations and a run's outputs → the site swapped
//! into its folder and, if asked, the archive beside it, both or neither. Builds into the same
//! folder take turns; an interrupted build leaves nothing of its own behind.

use std::io;
use std::path::Path;

use crate::archive::{self, ArchiveStats};
use crate::output::guard::Destinations;
use crate::output::record::OutputRecord;
use crate::output::{self, Cleanup, FolderAtStart, Output, OutputLock, WriteStats, WriteThrough};

/// What a publication wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub site: WriteStats,
    pub archive: Option<ArchiveStats>,
}

/// Whether a build may bring the site folder up to date where it is.
#[derive(Debug, Clone, Copy)]
pub enum InPlace<'a> {
    /// Staged whole (`--fresh`).
    Never,
    /// Where its record says the folder is as the last build left it; `record_at_start` is
    /// that record as the build read it when it began (see `Pipeline::record_at_start`), and
    /// `found_as_written` whether the folder was then as it says.
    Allowed {
        record_at_start: Option<&'a OutputRecord>,
        found_as_written: bool,
    },
}

/// A build's turn at its output folder: the lock of the folder the site is in (the site
/// folder itself is swapped while locked), held until the turn is dropped.
pub struct Turn {
    _lock: OutputLock,
    /// Taken before the build read the site folder's record: no other build can have written
    /// there since, so what the build found of the folder then still holds.
    since_reading: bool,
}

impl Turn {
    /// The turn of a build that is about to read the record of `out_dir` and check it
    /// against the folder, held until it has published; `None` when the folder does not exist
    /// (there is nothing to read: the turn is taken before writing). `on_wait` is called if
    /// another build holds it.
    pub fn before_reading(out_dir: &Path, on_wait: impl FnOnce()) -> io::Result<Option<Turn>> {
        if !out_dir.is_dir() {
            return Ok(None);
        }
        Ok(Some(Turn {
            _lock: OutputLock::acquire(lock_folder(out_dir), on_wait)?,
            since_reading: true,
        }))
    }

    /// The turn of a build about to write into `out_dir`, whose parent folder is made if
    /// missing.
    pub fn before_writing(out_dir: &Path, on_wait: impl FnOnce()) -> io::Result<Turn> {
        let folder = lock_folder(out_dir);
        std::fs::create_dir_all(folder).map_err(|e| output::with_path(e, folder))?;
        Ok(Turn {
            _lock: OutputLock::acquire(folder, on_wait)?,
            since_reading: false,
        })
    }
}

fn lock_folder(out_dir: &Path) -> &Path {
    out_dir.parent().unwrap_or(Path::new("/"))
}

/// Writes `outputs` to the destinations, and `record` (the output record) to the site's
/// folder only, in the build's `turn` at the folder; `cleanup` tracks what an interruption
/// must remove. With `InPlace::Allowed`, a site folder left as its record says is updated
/// where it is (no archive asked for), else staged anew, in the staging folder
/// `written_through` began if the render wrote pages into it.
pub fn publish(
    destinations: &Destinations,
    outputs: &[Output],
    record: Option<&Output>,
    in_place: InPlace<'_>,
    cleanup: &Cleanup,
    written_through: Option<&mut WriteThrough>,
    turn: Turn,
) -> io::Result<Published> {
    let begun = written_through
        .as_ref()
        .is_some_and(|through| through.has_begun());
    if let (
        InPlace::Allowed {
            record_at_start,
            found_as_written,
        },
        false,
        None,
        Some(record),
    ) = (in_place, begun, &destinations.archive, record)
    {
        // With the turn held since the record was read, what the build found then holds:
        // a folder not found as written is staged whole without being looked at again.
        let at_start = match (turn.since_reading, record_at_start, found_as_written) {
            (false, _, _) => Some(FolderAtStart::Unknown),
            (true, Some(recorded), true) => Some(FolderAtStart::CheckedUnderLock(recorded)),
            (true, _, _) => None,
        };
        if let Some(at_start) = at_start
            && let Some(site) =
                output::update_in_place(&destinations.out_dir, outputs, record, at_start, cleanup)?
        {
            return Ok(Published {
                site,
                archive: None,
            });
        }
    }
    let site = output::stage_site(
        &destinations.out_dir,
        outputs,
        record,
        cleanup,
        written_through,
    )?;
    let archive = match &destinations.archive {
        Some(path) => Some(archive::stage_archive(path, outputs, cleanup)?),
        None => None,
    };
    let mut held = cleanup.hold()?;
    let swapped = site.swap_in(&mut held)?;
    let archive = match archive
        .map(|archive| archive.persist(&mut held))
        .transpose()
    {
        Ok(stats) => stats,
        Err(error) => {
            swapped.roll_back(&mut held)?;
            return Err(error);
        }
    };
    drop(held);
    Ok(Published {
        site: swapped.finish()?,
        archive,
    })
}
