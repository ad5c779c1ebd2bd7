//! The walk of the source folders: every candidate file under content/, locales/<lang>/ and
//! the theme, in the order of a depth-first walk with each folder's entries sorted by name.
//!
//! A folder is listed (walkdir, one level at a time), unless the record of the last build
//! gives it a stamp that it still has: no entry was added to it, removed or renamed since
//! (each changes the folder's times and the kernel's change time cannot be set back), so its
//! entries are the files and folders the record has in it. A site has a folder per topic, and
//! reading a folder costs three calls where its metadata costs one. The record gives a folder
//! a stamp only when the stamp had settled before the folder was listed and every file the
//! walk found in it is a source the record stamps (see `Sources::folders`).

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::{Stamp, is_ignored_name};
use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// A folder a walk went through, with the stamp under which the next walk may take its
/// entries from the record rather than list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkedFolder {
    /// Relative to the project root.
    pub path: PathBuf,
    pub stamp: Option<Stamp>,
}

/// What the record of the last build says of the folders and files its walk found.
#[derive(Default)]
pub struct KnownListing<'r> {
    /// Each folder's stamp, when its entries may be taken from the record.
    stamps: HashMap<&'r Path, Stamp>,
    /// Each folder's entries: its name, and whether it is a folder.
    entries: HashMap<&'r Path, Vec<(&'r OsStr, bool)>>,
}

impl<'r> KnownListing<'r> {
    /// From the record's folders and the source files it stamps.
    pub fn new(folders: &'r [WalkedFolder], files: impl Iterator<Item = &'r Path>) -> Self {
        let mut known = KnownListing::default();
        let mut add = |path: &'r Path, is_folder: bool| {
            if let (Some(parent), Some(name)) = (path.parent(), path.file_name()) {
                known
                    .entries
                    .entry(parent)
                    .or_default()
                    .push((name, is_folder));
            }
        };
        for folder in folders {
            add(&folder.path, true);
        }
        for file in files {
            add(file, false);
        }
        known.stamps = folders
            .iter()
            .filter_map(|folder| Some((folder.path.as_path(), folder.stamp?)))
            .collect();
        known
    }
}

/// What one entry of a folder is to the walk.
#[derive(Clone, Copy)]
enum Entry {
    Folder,
    File,
    /// A symbolic link: named in a warning, never followed.
    Link,
}

/// The candidate files under the source folders of `config`, each with whether it is reached
/// through a symbolic link (a link itself, or under a starting folder reached through one),
/// every folder walked, and the problems of folders that could not be read.
pub(super) fn walk(
    root: &Path,
    config: &Config,
    known: &KnownListing<'_>,
) -> (Vec<(PathBuf, bool)>, Vec<WalkedFolder>, Vec<Diagnostic>) {
    let mut starts = vec![PathBuf::from("content")];
    starts.extend(
        config
            .languages
            .iter()
            .map(|lang| Path::new("locales").join(lang)),
    );
    let theme = Path::new("themes").join(&config.theme);
    starts.push(theme.join("templates"));
    starts.push(theme.join("static"));

    let walk = Walk {
        root,
        root_folder: crate::metadata::Folder::open(root).ok(),
        known,
    };
    let mut walked = Walked::default();
    for start in starts {
        if !root.join(&start).is_dir() {
            continue;
        }
        // Resolved once per starting folder, not once per file: the walk follows no link
        // below it.
        let through_link = crate::symlinks::through_symlink(root, &start);
        walk.folder(&start, true, through_link, &mut walked);
    }
    (walked.paths, walked.folders, walked.problems)
}

struct Walk<'w, 'r> {
    root: &'w Path,
    /// The root's handle, to look below it up from (none if it cannot be opened).
    root_folder: Option<crate::metadata::Folder>,
    known: &'w KnownListing<'r>,
}

/// What a walk (or a part of it) found, in the walk's order.
#[derive(Default)]
struct Walked {
    paths: Vec<(PathBuf, bool)>,
    folders: Vec<WalkedFolder>,
    problems: Vec<Diagnostic>,
}

impl Walked {
    fn append(&mut self, mut other: Walked) {
        self.paths.append(&mut other.paths);
        self.folders.append(&mut other.folders);
        self.problems.append(&mut other.problems);
    }
}

/// A folder with at least this many folders in it (content/, a folder per topic) has them
/// walked on every core, each into a part of its own, the parts then joined in order.
const FOLDERS_WALKED_IN_PARALLEL: usize = 16;

impl Walk<'_, '_> {
    fn folder(&self, folder: &Path, is_start: bool, through_link: bool, into: &mut Walked) {
        let absolute = self.root.join(folder);
        // The clock, then the metadata, then the listing: an entry added after the listing
        // began either shows in the metadata or comes after a stamp that had settled.
        let read_at = std::time::SystemTime::now();
        // A starting folder may be a link (its files are then named in warnings); below it
        // only real folders are walked into.
        let metadata = match &self.root_folder {
            Some(root) if is_start => root.metadata_followed(folder),
            Some(root) => root.metadata(folder),
            None => Err(std::io::Error::other("the project folder cannot be opened")),
        };
        let recorded = self.known.stamps.get(folder).copied();
        let entries = match metadata.map(Stamp::from) {
            Ok(now) if !through_link && recorded == Some(now) => {
                into.folders.push(WalkedFolder {
                    path: folder.to_path_buf(),
                    stamp: recorded,
                });
                self.known_entries(folder)
            }
            now => {
                let stamp = now
                    .ok()
                    .filter(|_| !through_link)
                    .and_then(|now| now.settled_by(read_at));
                into.folders.push(WalkedFolder {
                    path: folder.to_path_buf(),
                    stamp,
                });
                self.list(folder, &absolute, &mut into.problems)
            }
        };
        let subfolders = entries
            .iter()
            .filter(|(_, entry)| matches!(entry, Entry::Folder))
            .count();
        if subfolders >= FOLDERS_WALKED_IN_PARALLEL {
            let parts: Vec<Walked> = entries
                .par_iter()
                .map(|(name, entry)| {
                    let mut part = Walked::default();
                    self.entry(folder, name, *entry, through_link, &mut part);
                    part
                })
                .collect();
            for part in parts {
                into.append(part);
            }
        } else {
            for (name, entry) in &entries {
                self.entry(folder, name, *entry, through_link, into);
            }
        }
    }

    fn entry(
        &self,
        folder: &Path,
        name: &OsStr,
        entry: Entry,
        through_link: bool,
        into: &mut Walked,
    ) {
        let path = folder.join(name);
        match entry {
            Entry::Folder => self.folder(&path, false, through_link, into),
            Entry::File => into.paths.push((path, through_link)),
            Entry::Link => into.paths.push((path, true)),
        }
    }

    /// The entries the record has in `folder`, in the order a listing gives them.
    fn known_entries(&self, folder: &Path) -> Vec<(OsString, Entry)> {
        let mut entries: Vec<(OsString, Entry)> = self
            .known
            .entries
            .get(folder)
            .map(|entries| {
                entries
                    .iter()
                    .map(|&(name, is_folder)| {
                        let entry = if is_folder {
                            Entry::Folder
                        } else {
                            Entry::File
                        };
                        (name.to_os_string(), entry)
                    })
                    .collect()
            })
            .unwrap_or_default();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries
    }

    /// The entries of `folder` on disk, sorted by name, hidden ones and editor droppings left
    /// out.
    fn list(
        &self,
        folder: &Path,
        absolute: &Path,
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<(OsString, Entry)> {
        let mut entries = Vec::new();
        let listing = WalkDir::new(absolute)
            .min_depth(1)
            .max_depth(1)
            .sort_by_file_name();
        for entry in listing {
            match entry {
                Ok(entry) => {
                    let name = entry.file_name();
                    if is_ignored_name(name.to_str().unwrap_or("")) {
                        continue;
                    }
                    let kind = entry.file_type();
                    let entry = if entry.path_is_symlink() {
                        Entry::Link
                    } else if kind.is_dir() {
                        Entry::Folder
                    } else if kind.is_file() {
                        Entry::File
                    } else {
                        continue;
                    };
                    entries.push((name.to_os_string(), entry));
                }
                Err(error) => problems.push(Diagnostic::error(
                    "io",
                    error
                        .path()
                        .and_then(|path| path.strip_prefix(self.root).ok())
                        .unwrap_or(folder)
                        .to_path_buf(),
                    format!("cannot read: {error}"),
                )),
            }
        }
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Longer than `source::SETTLED`: the times of what was written before are then settled.
    fn settle() {
        std::thread::sleep(std::time::Duration::from_millis(150));
    }

    fn write(root: &Path, path: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "text").unwrap();
    }

    fn project() -> tempfile::TempDir {
        let project = tempfile::tempdir().unwrap();
        for file in [
            "content/_index.fr.md",
            "content/a/index.fr.md",
            "content/a/figures/map.svg",
            "content/b/index.fr.md",
            "content/b/index.en.md",
            "locales/fr/site.ftl",
            "themes/briefing/templates/base.html",
        ] {
            write(project.path(), file);
        }
        project
    }

    /// The walk's paths and folders, the record a build of them would leave (every file
    /// stamped), and the walk that record gives the next build.
    fn walk_from(
        root: &Path,
        folders: &[WalkedFolder],
        files: &[(PathBuf, bool)],
    ) -> (Vec<(PathBuf, bool)>, Vec<WalkedFolder>) {
        let known = KnownListing::new(folders, files.iter().map(|(path, _)| path.as_path()));
        let (paths, folders, problems) = walk(root, &crate::source::tests::config(), &known);
        assert!(problems.is_empty(), "{problems:?}");
        (paths, folders)
    }

    #[test]
    fn a_folder_that_kept_its_stamp_is_taken_from_the_record_and_any_other_is_listed() {
        let project = project();
        let root = project.path();
        settle();
        let config = crate::source::tests::config();
        let (paths, folders, _) = walk(root, &config, &KnownListing::default());
        assert!(folders.iter().all(|folder| folder.stamp.is_some()));
        let names: Vec<&str> = paths.iter().map(|(p, _)| p.to_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "content/_index.fr.md",
                "content/a/figures/map.svg",
                "content/a/index.fr.md",
                "content/b/index.en.md",
                "content/b/index.fr.md",
                "locales/fr/site.ftl",
                "themes/briefing/templates/base.html",
            ]
        );

        // A file the record has in a folder that kept its stamp is taken from the record: the
        // folder was not listed.
        let mut recorded = paths.clone();
        recorded.push((PathBuf::from("content/b/only-in-the-record.md"), false));
        let (again, _) = walk_from(root, &folders, &recorded);
        assert!(
            again
                .iter()
                .any(|(p, _)| p.ends_with("only-in-the-record.md"))
        );
        assert_eq!(again.len(), paths.len() + 1);

        // Its folder changed: listed, and what the record has of it no longer counts.
        write(root, "content/b/new.svg");
        let (again, _) = walk_from(root, &folders, &recorded);
        assert!(
            !again
                .iter()
                .any(|(p, _)| p.ends_with("only-in-the-record.md"))
        );
        assert!(again.iter().any(|(p, _)| p.ends_with("content/b/new.svg")));
    }

    #[test]
    fn a_folder_of_many_folders_walked_on_every_core_gives_the_walk_in_order() {
        let project = tempfile::tempdir().unwrap();
        let root = project.path();
        let mut expected = vec!["content/_index.fr.md".to_string()];
        write(root, "content/_index.fr.md");
        // More folders than FOLDERS_WALKED_IN_PARALLEL, one with folders of its own.
        for topic in 0..3 * FOLDERS_WALKED_IN_PARALLEL {
            for file in ["index.en.md", "index.fr.md"] {
                let path = format!("content/t{topic:03}/{file}");
                write(root, &path);
                expected.push(path);
            }
            if topic == 7 {
                let path = format!("content/t{topic:03}/z/figure.svg");
                write(root, &path);
                expected.push(path);
            }
        }
        write(root, "content/zz.md");
        expected.push("content/zz.md".to_string());
        expected.sort();
        let config = crate::source::tests::config();
        let (paths, folders, problems) = walk(root, &config, &KnownListing::default());
        assert!(problems.is_empty(), "{problems:?}");
        let found: Vec<String> = paths
            .iter()
            .map(|(path, _)| path.to_str().unwrap().to_string())
            .collect();
        assert_eq!(found, expected);
        let folders: Vec<&str> = folders.iter().map(|f| f.path.to_str().unwrap()).collect();
        assert_eq!(folders[..3], ["content", "content/t000", "content/t001"]);
        assert_eq!(folders[8..10], ["content/t007", "content/t007/z"]);
        assert_eq!(folders.len(), 2 + 3 * FOLDERS_WALKED_IN_PARALLEL);
    }

    #[test]
    fn a_walk_from_the_record_finds_what_a_listing_finds_after_each_change() {
        let project = project();
        let root = project.path();
        let config = crate::source::tests::config();
        type Edit<'a> = Box<dyn Fn() + 'a>;
        let edits: [(&str, Edit); 6] = [
            (
                "a topic added",
                Box::new(|| write(root, "content/c/index.fr.md")),
            ),
            (
                "a file added two folders down",
                Box::new(|| write(root, "content/a/figures/old/x.svg")),
            ),
            (
                "a topic renamed",
                Box::new(|| {
                    std::fs::rename(root.join("content/b"), root.join("content/d")).unwrap()
                }),
            ),
            (
                "a folder removed",
                Box::new(|| std::fs::remove_dir_all(root.join("content/a/figures/old")).unwrap()),
            ),
            (
                "a file replaced by a folder",
                Box::new(|| {
                    std::fs::remove_file(root.join("content/a/figures/map.svg")).unwrap();
                    write(root, "content/a/figures/map.svg/inside.svg");
                }),
            ),
            (
                "a hidden file added",
                Box::new(|| write(root, "content/c/.notes.md")),
            ),
        ];
        settle();
        let (mut paths, mut folders, _) = walk(root, &config, &KnownListing::default());
        for (what, edit) in &edits {
            settle();
            edit();
            let (listed, listed_folders, _) = walk(root, &config, &KnownListing::default());
            let (from_record, record_folders) = walk_from(root, &folders, &paths);
            assert_eq!(from_record, listed, "after {what}");
            let stamps = |folders: &[WalkedFolder]| -> Vec<(PathBuf, bool)> {
                folders
                    .iter()
                    .map(|f| (f.path.clone(), f.stamp.is_some()))
                    .collect()
            };
            assert_eq!(
                stamps(&record_folders),
                stamps(&listed_folders),
                "after {what}"
            );
            (paths, folders) = (from_record, record_folders);
        }
    }
}
