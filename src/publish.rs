//! Write stage, as a whole: the checked destinations and a run's outputs → the site swapped
//! into its folder and, if asked, the archive beside it, both or neither. Builds into the same
//! folder take turns; an interrupted build leaves nothing of its own behind.

use std::io;
use std::path::Path;
use std::sync::Arc;

use crate::archive::{self, ArchiveStats};
use crate::output::guard::Destinations;
use crate::output::record::RecordAsRead;
use crate::output::{self, Cleanup, Output, OutputLock, WriteStats, WriteThrough};

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
    /// that record as the build read it when it began (see `Pipeline::record_at_start`).
    Allowed {
        record_at_start: Option<&'a Arc<RecordAsRead>>,
    },
}

/// Writes `outputs` to the destinations, and `record` (the output record) to the site's
/// folder only. `on_wait` is called if another build holds the output folder's lock;
/// `cleanup` tracks what an interruption must remove. With `InPlace::Allowed`, a site folder
/// left as its record says is updated where it is (no archive asked for), else staged anew,
/// in the staging folder `written_through` began if the render wrote pages into it.
pub fn publish(
    destinations: &Destinations,
    outputs: &[Output],
    record: Option<&Output>,
    in_place: InPlace<'_>,
    cleanup: &Cleanup,
    written_through: Option<&mut WriteThrough>,
    on_wait: impl FnOnce(),
) -> io::Result<Published> {
    let folder = destinations
        .out_dir
        .parent()
        .unwrap_or(Path::new("/"))
        .to_path_buf();
    std::fs::create_dir_all(&folder).map_err(|e| output::with_path(e, &folder))?;
    let _lock = OutputLock::acquire(&folder, on_wait)?;
    let begun = written_through
        .as_ref()
        .is_some_and(|through| through.has_begun());
    if let (InPlace::Allowed { record_at_start }, false, None, Some(record)) =
        (in_place, begun, &destinations.archive, record)
        && let Some(site) = output::update_in_place(
            &destinations.out_dir,
            outputs,
            record,
            record_at_start,
            cleanup,
        )?
    {
        return Ok(Published {
            site,
            archive: None,
        });
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
