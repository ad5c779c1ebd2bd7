//! Write stage, the short way: a folder left exactly as the build before wrote it (its record
//! says so, `OutputRecord::folder_is_as_written`) is brought up to date where it is. Only
//! the files whose digest changed are written, each first to a temporary file beside its
//! place; only once every one is written do they replace the old files, all under one hold
//! of the cleanup, then the files no longer made are removed and the record is written,
//! last. A failure before that leaves the folder as it was; an interruption waits for the
//! replacements to be over. Staging the whole site instead would make every folder of it
//! again (one per page), which costs more than the pages that changed.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::record::{OutputRecord, RECORD_FILE};
use super::{Cleanup, Held, Output, WriteStats, folders_of, with_path};

/// What a build knows of its output folder when it comes to update it in place.
#[derive(Debug, Clone, Copy)]
pub enum FolderAtStart<'a> {
    /// Nothing: the record is read and the folder checked against it here.
    Unknown,
    /// Found as this record says while the build held the folder's lock, which it has held
    /// ever since: no other build can have written there, so nothing is read again.
    CheckedUnderLock(&'a OutputRecord),
}

/// Writes `outputs` (and `record`, the new output record) over the folder `out_dir` in
/// place, or returns `None`, having touched nothing, when the folder is not as its record
/// says the last build left it: the caller then stages the whole site. The caller holds the
/// folder's lock; `at_start` says what it knew of the folder before.
pub fn update_in_place(
    out_dir: &Path,
    outputs: &[Output],
    record: &Output,
    at_start: FolderAtStart<'_>,
    cleanup: &Cleanup,
) -> io::Result<Option<WriteStats>> {
    let read_now;
    let recorded = match at_start {
        FolderAtStart::CheckedUnderLock(recorded) => recorded,
        FolderAtStart::Unknown => {
            let Some(read) = OutputRecord::read(out_dir) else {
                return Ok(None);
            };
            if !read.folder_is_as_written(out_dir) {
                return Ok(None);
            }
            read_now = read;
            &read_now
        }
    };
    let on_disk: HashMap<&str, &super::record::RecordedFile> = recorded
        .files
        .iter()
        .map(|file| (file.path.as_str(), file))
        .collect();
    let changed: Vec<&Output> = outputs
        .iter()
        .filter(|output| {
            on_disk
                .get(output.path.as_str())
                .is_none_or(|file| file.digest != output.digest || file.size != output.size())
        })
        .collect();
    let made: HashSet<&str> = outputs.iter().map(|output| output.path.as_str()).collect();
    let gone: Vec<&str> = on_disk
        .keys()
        .copied()
        .filter(|path| !made.contains(path))
        .collect();

    let Some(new_folders) = missing_folders(out_dir, &changed) else {
        return Ok(None);
    };
    let temporaries: Vec<(PathBuf, PathBuf)> = changed
        .iter()
        .map(|output| {
            let target = out_dir.join(&output.path);
            (temporary_beside(&target), target)
        })
        .chain(std::iter::once({
            let target = out_dir.join(RECORD_FILE);
            (temporary_beside(&target), target)
        }))
        .collect();
    {
        // Tracked before they exist: an interruption removes whatever of them was made.
        let mut held = cleanup.hold()?;
        for folder in &new_folders {
            held.track(folder);
        }
        for (temporary, _) in &temporaries {
            held.track(temporary);
        }
    }
    let written = write_temporaries(&new_folders, &changed, &temporaries, cleanup);
    let mut held = cleanup.hold()?;
    if let Err(error) = written {
        for (temporary, _) in &temporaries {
            let _ = fs::remove_file(temporary);
        }
        for folder in new_folders.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
        untrack(&mut held, &temporaries, &new_folders);
        return Err(error);
    }
    // The site's files, then the ones no longer made, then, once the clock has moved, the
    // record, written only now: it is newer than every file and folder of the site (renaming
    // a file into a folder changes the folder's time), as `folder_is_as_written` expects of
    // the next build.
    let (record_temporary, record_target) = temporaries.last().expect("the record's");
    let replaced = temporaries[..temporaries.len() - 1]
        .iter()
        .try_for_each(|(temporary, target)| {
            fs::rename(temporary, target).map_err(|e| with_path(e, target))
        })
        .and_then(|()| remove_gone(out_dir, &gone))
        .and_then(|()| super::after_the_clock_moves(out_dir))
        .and_then(|()| {
            fs::write(record_temporary, record.bytes()?).map_err(|e| with_path(e, record_temporary))
        })
        .and_then(|()| {
            fs::rename(record_temporary, record_target).map_err(|e| with_path(e, record_target))
        });
    untrack(&mut held, &temporaries, &new_folders);
    if replaced.is_err() {
        // Part of the folder is new and the record says otherwise: the next build sees that
        // the folder is not as written, and stages the whole site.
        for (temporary, _) in &temporaries {
            let _ = fs::remove_file(temporary);
        }
    }
    replaced?;
    Ok(Some(WriteStats {
        written: changed.len(),
        unchanged: outputs.len() - changed.len(),
    }))
}

fn untrack(held: &mut Held<'_>, temporaries: &[(PathBuf, PathBuf)], new_folders: &[PathBuf]) {
    let temporaries = temporaries.iter().map(|(temporary, _)| temporary.as_path());
    held.untrack_all(temporaries.chain(new_folders.iter().map(PathBuf::as_path)));
}

/// The folders the changed outputs need that `out_dir` does not have, parents first; `None`
/// when a file is to go where a folder is, or a folder where a file is (staging handles
/// those).
fn missing_folders(out_dir: &Path, changed: &[&Output]) -> Option<Vec<PathBuf>> {
    if changed
        .iter()
        .any(|output| out_dir.join(&output.path).is_dir())
    {
        return None;
    }
    let folders = folders_of(changed.iter().map(|output| output.path.as_str()));
    let mut missing = Vec::new();
    for folder in folders {
        match fs::symlink_metadata(out_dir.join(folder)) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => return None,
            Err(_) => missing.push(folder),
        }
    }
    missing.sort_by_key(|folder| folder.matches('/').count());
    Some(
        missing
            .into_iter()
            .map(|folder| out_dir.join(folder))
            .collect(),
    )
}

/// `.<name>.briefing-<pid>` beside `target`: hidden, and named for this process.
fn temporary_beside(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.briefing-{}", std::process::id()))
}

/// Makes the new folders and writes each changed output beside its place (the record's
/// temporary, last of `temporaries`, is written once they are in place).
fn write_temporaries(
    new_folders: &[PathBuf],
    changed: &[&Output],
    temporaries: &[(PathBuf, PathBuf)],
    cleanup: &Cleanup,
) -> io::Result<()> {
    for folder in new_folders {
        let _running = cleanup.share()?;
        fs::create_dir(folder).map_err(|e| with_path(e, folder))?;
    }
    changed
        .par_iter()
        .zip(temporaries.par_iter())
        .try_for_each(|(output, (temporary, _))| {
            let _running = cleanup.share()?;
            fs::write(temporary, output.bytes()?).map_err(|e| with_path(e, temporary))
        })
}

/// Removes the files no longer made, and the folders that leaves empty.
fn remove_gone(out_dir: &Path, gone: &[&str]) -> io::Result<()> {
    for path in gone {
        let file = out_dir.join(path);
        fs::remove_file(&file).map_err(|e| with_path(e, &file))?;
    }
    // Deepest first; a folder still holding files stays.
    let mut emptied: Vec<&str> = folders_of(gone.iter().copied()).into_iter().collect();
    emptied.sort_by_key(|folder| std::cmp::Reverse(folder.matches('/').count()));
    for folder in emptied {
        let _ = fs::remove_dir(out_dir.join(folder));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::record::RecordedFile;
    use crate::output::{Content, stage_site};
    use std::os::unix::fs::MetadataExt;

    fn output(path: &str, text: &str) -> Output {
        Output::from_bytes(path, text.as_bytes())
    }

    fn record_of(outputs: &[Output]) -> Output {
        OutputRecord {
            files: outputs
                .iter()
                .map(|output| RecordedFile {
                    path: output.path.clone(),
                    digest: output.digest,
                    size: output.size(),
                })
                .collect(),
            ..OutputRecord::default()
        }
        .to_output()
    }

    /// `update_in_place` of `after` over `site`, knowing nothing of the folder beforehand.
    fn update(site: &Path, after: &[Output]) -> io::Result<Option<WriteStats>> {
        let record = record_of(after);
        update_in_place(
            site,
            after,
            &record,
            FolderAtStart::Unknown,
            &Cleanup::new(),
        )
    }

    /// A folder as a build leaves it: the site, its marker and its record.
    fn built(site: &Path, outputs: &[Output]) {
        let cleanup = Cleanup::new();
        let staged = stage_site(site, outputs, Some(&record_of(outputs)), &cleanup, None).unwrap();
        staged
            .swap_in(&mut cleanup.hold().unwrap())
            .unwrap()
            .finish()
            .unwrap();
    }

    fn files_under(folder: &Path) -> Vec<String> {
        let mut found: Vec<String> = walkdir::WalkDir::new(folder)
            .min_depth(1)
            .into_iter()
            .map(|entry| {
                let entry = entry.unwrap();
                let relative = entry.path().strip_prefix(folder).unwrap();
                relative.to_string_lossy().into_owned()
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn only_changed_files_are_replaced_and_what_is_no_longer_made_goes() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let before = [
            output("fr/a/index.html", "A"),
            output("fr/b/index.html", "B"),
            output("fr/old/index.html", "gone soon"),
        ];
        built(&site, &before);
        let kept = fs::metadata(site.join("fr/a/index.html")).unwrap();
        let after = [
            output("fr/a/index.html", "A"),
            output("fr/b/index.html", "B, edited"),
            output("en/new/index.html", "N"),
        ];
        let stats = update(&site, &after)
            .unwrap()
            .expect("the folder is as its record says");
        assert_eq!(
            stats,
            WriteStats {
                written: 2,
                unchanged: 1
            }
        );
        let still = fs::metadata(site.join("fr/a/index.html")).unwrap();
        assert_eq!(
            (kept.ino(), kept.mtime_nsec()),
            (still.ino(), still.mtime_nsec())
        );
        assert_eq!(
            fs::read_to_string(site.join("fr/b/index.html")).unwrap(),
            "B, edited"
        );
        assert_eq!(
            files_under(&site),
            [
                ".briefing-output",
                ".briefing-record",
                "en",
                "en/new",
                "en/new/index.html",
                "fr",
                "fr/a",
                "fr/a/index.html",
                "fr/b",
                "fr/b/index.html",
            ]
        );
        // Left as written: the next build may update it in place again.
        let record = OutputRecord::read(&site).unwrap();
        assert!(record.folder_is_as_written(&site));
    }

    #[test]
    fn a_write_that_fails_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let before = [
            output("fr/a/index.html", "A"),
            output("fr/b/index.html", "B"),
        ];
        built(&site, &before);
        let listing = files_under(&site);
        let record = fs::read(site.join(RECORD_FILE)).unwrap();
        let unreadable = Output {
            path: "fr/c/photo.png".into(),
            content: Content::Copy(dir.path().join("no-such-source.png")),
            digest: [7; 16],
        };
        let after = [
            output("fr/a/index.html", "A, edited"),
            output("fr/b/index.html", "B"),
            unreadable,
        ];
        let failed = update(&site, &after);
        assert!(failed.is_err());
        assert_eq!(
            files_under(&site),
            listing,
            "no temporary file nor new folder is left"
        );
        assert_eq!(
            fs::read_to_string(site.join("fr/a/index.html")).unwrap(),
            "A"
        );
        assert_eq!(fs::read(site.join(RECORD_FILE)).unwrap(), record);
    }

    #[test]
    fn a_folder_changed_since_its_build_is_not_updated_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let before = [output("fr/a/index.html", "A")];
        built(&site, &before);
        fs::write(site.join("fr/a/notes.txt"), "someone's file").unwrap();
        let after = [output("fr/a/index.html", "A, edited")];
        let outcome = update(&site, &after);
        assert!(outcome.unwrap().is_none());
        assert_eq!(
            fs::read_to_string(site.join("fr/a/index.html")).unwrap(),
            "A"
        );
    }

    #[test]
    fn a_folder_or_link_added_since_its_build_is_not_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let before = [output("fr/a/index.html", "A")];
        for added in ["fr/b", "fr/a/lien.html"] {
            let site = dir.path().join(added.replace('/', "-"));
            built(&site, &before);
            let record = OutputRecord::read(&site).unwrap();
            assert!(record.folder_is_as_written(&site));
            if added.ends_with(".html") {
                std::os::unix::fs::symlink("index.html", site.join(added)).unwrap();
            } else {
                fs::create_dir(site.join(added)).unwrap();
            }
            assert!(!record.folder_is_as_written(&site), "{added}");
        }
    }

    /// Within the clock tick of the build's end: a change by hand has at least the record's
    /// time, which no file or folder of the build has.
    #[test]
    fn a_change_made_just_after_the_build_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let before = [
            output("fr/a/index.html", "A"),
            output("fr/b/index.html", "B"),
        ];
        type Change = (&'static str, fn(&Path));
        let changes: [Change; 3] = [
            ("same size", |site| {
                fs::write(site.join("fr/a/index.html"), "Z").unwrap()
            }),
            ("removed then written again", |site| {
                fs::remove_file(site.join("fr/b/index.html")).unwrap();
                fs::write(site.join("fr/b/index.html"), "B").unwrap();
            }),
            ("added", |site| {
                fs::write(site.join("fr/a/notes.txt"), "").unwrap()
            }),
        ];
        for (change, make) in changes {
            let site = dir.path().join(change.replace(' ', "-"));
            built(&site, &before);
            let record = OutputRecord::read(&site).unwrap();
            assert!(record.folder_is_as_written(&site), "{change}");
            make(&site);
            assert!(!record.folder_is_as_written(&site), "{change}");
        }
    }

    #[test]
    fn a_folder_updated_in_place_is_as_written_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        built(&site, &[output("fr/a/index.html", "A")]);
        let after = [
            output("fr/a/index.html", "A, edited"),
            output("fr/c/index.html", "C"),
        ];
        assert!(update(&site, &after).unwrap().is_some());
        let written = OutputRecord::read(&site).unwrap();
        assert!(written.folder_is_as_written(&site));
    }
}
