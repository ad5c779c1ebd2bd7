//! Write stage, the output record: `.briefing-record`, written with each build beside the
//! marker, lists every output the build rendered with the digests it was reused by (see
//! `render::RecordedRender`) and each language's search index with the digest of the
//! documents it was made from. The next build into the folder starts from it, so that it
//! renders and writes only what changed; `--fresh` ignores it.
//!
//! It also says what the whole build was made from (a digest of every source file, the
//! configuration and the options) and every file it wrote with its digest: a build whose
//! inputs have that digest, into a folder whose files are still those, has nothing to do.
//!
//! The record holds for the binary that wrote it only (its version, size and modification
//! time head the file): another binary may render the same inputs differently.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::guard::OUTPUT_MARKER;
use crate::render::RecordedRender;
use crate::search::RecordedIndex;
use crate::source::{Digest, Stamp, WalkedFolder};
use crate::urls::SitePath;

use super::Output;

/// The record's file name, in the output folder.
pub const RECORD_FILE: &str = ".briefing-record";

/// What the record says of the build that wrote the folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OutputRecord {
    pub renders: Vec<RecordedRender>,
    pub indexes: Vec<RecordedIndex>,
    /// What the build was made from (see `Pipeline::inputs_digest`); none when the build
    /// warned of something only a new run reports again (a topic held back).
    pub inputs: Option<Digest>,
    /// Every file of the folder but the marker and the record.
    pub files: Vec<RecordedFile>,
    /// Each source file the build read with the stamp it had then (when it had settled) and
    /// its digest: the next build knows from metadata alone whether its inputs are the same.
    pub sources: Vec<RecordedSource>,
    /// Every folder the build's walk of the sources went through, with its stamp when the
    /// next walk may take its entries from `sources` and the folders here instead of listing
    /// it (`source::Discovered::walk_known`).
    pub folders: Vec<WalkedFolder>,
    /// The build's count of HTML pages, and of those per language.
    pub pages: RecordedPages,
}

/// A file of the site as the build wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedFile {
    pub path: String,
    pub digest: Digest,
    pub size: u64,
}

/// A source file as the build read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedSource {
    pub path: PathBuf,
    pub stamp: Stamp,
    pub digest: Digest,
}

/// What a build's summary line says of the pages it made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RecordedPages {
    pub html: usize,
    pub render_outputs: usize,
    pub per_language: Vec<(String, usize)>,
}

/// The first line: which binary wrote the record.
fn stamp() -> String {
    format!("briefing-output-record 1 {}", binary_identity())
}

/// The version, size and modification time of the running binary: what a file it writes
/// for its own later runs (the record, the parse store) is valid for.
pub(crate) fn binary_identity() -> String {
    let binary = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|metadata| {
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |since| since.as_nanos());
            format!("{} {modified}", metadata.len())
        })
        .unwrap_or_else(|_| "unknown".into());
    format!("{} {binary}", env!("CARGO_PKG_VERSION"))
}

impl OutputRecord {
    /// The record of `out_dir`, if the folder has one this binary wrote and it reads whole.
    pub fn read(out_dir: &Path) -> Option<OutputRecord> {
        let bytes = std::fs::read(out_dir.join(RECORD_FILE)).ok()?;
        OutputRecord::parse(&String::from_utf8(bytes).ok()?)
    }

    fn parse(text: &str) -> Option<OutputRecord> {
        let (first, rest) = text.split_once('\n')?;
        if first != stamp() {
            return None;
        }
        // A line a file and one a source: tens of thousands of digests to decode, on every
        // core, then put in order on one.
        let lines: Vec<Line> = rest
            .par_lines()
            .map(Line::parse)
            .collect::<Option<Vec<Line>>>()?;
        let mut record = OutputRecord::default();
        for line in lines {
            match line {
                Line::Render(render) => record.renders.push(render),
                Line::IndexFile {
                    lang,
                    inputs,
                    path,
                    digest,
                } => match record.indexes.last_mut() {
                    Some(index) if index.lang == lang && index.inputs == inputs => {
                        index.files.push((path, digest));
                    }
                    _ => record.indexes.push(RecordedIndex {
                        lang,
                        inputs,
                        files: vec![(path, digest)],
                        shards: Vec::new(),
                    }),
                },
                // After its language's "i" lines.
                Line::Shard { lang, key, path } => {
                    let index = record
                        .indexes
                        .last_mut()
                        .filter(|index| index.lang == lang)?;
                    index.shards.push((key, path));
                }
                Line::Inputs(digest) => record.inputs = Some(digest),
                Line::File(file) => record.files.push(file),
                Line::Source(source) => record.sources.push(source),
                Line::Folder(folder) => record.folders.push(folder),
                Line::Pages { html, outputs } => {
                    record.pages.html = html;
                    record.pages.render_outputs = outputs;
                }
                Line::Language { lang, pages } => record.pages.per_language.push((lang, pages)),
            }
        }
        Some(record)
    }

    /// The record as an output of the site.
    pub fn to_output(&self) -> Output {
        // Lines of their usual lengths (digests, paths), so that the text is grown once.
        let mut text = String::with_capacity(
            256 * self.renders.len()
                + 128 * self.files.len()
                + 160 * self.sources.len()
                + 96 * self.folders.len(),
        );
        text.push_str(&stamp());
        text.push('\n');
        for render in &self.renders {
            text.push('r');
            for digest in [&render.key, &render.view, &render.digest] {
                text.push(' ');
                push_hex(&mut text, digest);
            }
            text.push(' ');
            text.push_str(render.path.as_str());
            text.push('\n');
        }
        for index in &self.indexes {
            for (path, digest) in &index.files {
                let _ = write!(text, "i {} ", index.lang);
                push_hex(&mut text, &index.inputs);
                text.push(' ');
                push_hex(&mut text, digest);
                let _ = writeln!(text, " {path}");
            }
            for (key, path) in &index.shards {
                let _ = write!(text, "s {} ", index.lang);
                push_hex(&mut text, key);
                let _ = writeln!(text, " {path}");
            }
        }
        if let Some(inputs) = &self.inputs {
            text.push_str("h ");
            push_hex(&mut text, inputs);
            text.push('\n');
        }
        for file in &self.files {
            text.push_str("f ");
            push_hex(&mut text, &file.digest);
            let _ = writeln!(text, " {} {}", file.size, file.path);
        }
        // A path that is not UTF-8 or holds a line break is left out: the next build then
        // finds a source the record does not stamp, and reads them all. Its folder is written
        // with no stamp, so that the next walk lists it.
        fn recordable(path: &Path) -> Option<&str> {
            path.to_str().filter(|path| !path.contains('\n'))
        }
        let left_out_in: HashSet<&Path> = self
            .sources
            .iter()
            .map(|source| source.path.as_path())
            .chain(self.folders.iter().map(|folder| folder.path.as_path()))
            .filter(|path| recordable(path).is_none())
            .filter_map(Path::parent)
            .collect();
        for folder in &self.folders {
            let Some(path) = recordable(&folder.path) else {
                continue;
            };
            match folder
                .stamp
                .filter(|_| !left_out_in.contains(folder.path.as_path()))
            {
                Some(stamp) => {
                    let _ = writeln!(
                        text,
                        "d {} {} {} {} {path}",
                        stamp.size, stamp.modified_ns, stamp.changed_ns, stamp.inode
                    );
                }
                None => {
                    let _ = writeln!(text, "d - {path}");
                }
            }
        }
        for source in &self.sources {
            let Some(path) = recordable(&source.path) else {
                continue;
            };
            let stamp = &source.stamp;
            text.push_str("m ");
            push_hex(&mut text, &source.digest);
            let _ = writeln!(
                text,
                " {} {} {} {} {path}",
                stamp.size, stamp.modified_ns, stamp.changed_ns, stamp.inode
            );
        }
        let pages = &self.pages;
        let _ = writeln!(text, "n {} {}", pages.html, pages.render_outputs);
        for (lang, count) in &pages.per_language {
            let _ = writeln!(text, "l {lang} {count}");
        }
        Output::from_bytes(RECORD_FILE, text.into_bytes())
    }

    /// Whether `out_dir` holds exactly the files this record lists (besides the marker and
    /// the record), and no other file or folder, each still as the build left it: of the
    /// recorded size, and older than the record, which a build writes after every other
    /// file once the clock has moved (`after_the_clock_moves`; a file it kept from the build
    /// before is older still). Only metadata is read, on every core.
    ///
    /// A folder below the top is not listed: being older than the record says that no entry
    /// was added to it, removed or renamed since (reading a folder costs three calls where its
    /// metadata costs one, and a site has a folder per page). The top folder, whose time the
    /// record's own renaming changed, is listed.
    pub fn folder_is_as_written(&self, out_dir: &Path) -> bool {
        let Ok(folder) = crate::metadata::Folder::open(out_dir) else {
            return false;
        };
        let Ok(written) = folder.metadata(Path::new(RECORD_FILE)) else {
            return false;
        };
        let older =
            |metadata: &crate::metadata::Metadata| metadata.modified_ns < written.modified_ns;
        let mut at_top: HashSet<&str> = self
            .files
            .iter()
            .map(|file| file.path.split('/').next().unwrap_or_default())
            .collect();
        at_top.insert(RECORD_FILE);
        let Ok(listed) = std::fs::read_dir(out_dir) else {
            return false;
        };
        let mut found_at_top = 0;
        for entry in listed {
            let Ok(name) = entry.map(|entry| entry.file_name()) else {
                return false;
            };
            match name.to_str() {
                Some(name) if at_top.contains(name) => found_at_top += 1,
                Some(OUTPUT_MARKER) => {}
                _ => return false,
            }
        }
        if found_at_top != at_top.len() {
            return false;
        }
        let folders = crate::output::folders_of(self.files.iter().map(|file| file.path.as_str()));
        let folders: Vec<&str> = folders.into_iter().collect();
        use crate::metadata::Kind;
        let folders_as_written = || {
            folders.par_iter().all(|path| {
                folder
                    .metadata(Path::new(path))
                    .is_ok_and(|metadata| metadata.kind == Kind::Folder && older(&metadata))
            })
        };
        let files_as_written = || {
            self.files.par_iter().all(|file| {
                folder
                    .metadata(Path::new(&file.path))
                    .is_ok_and(|metadata| {
                        metadata.kind == Kind::File
                            && metadata.size == file.size
                            && older(&metadata)
                    })
            })
        };
        let (folders, files) = rayon::join(folders_as_written, files_as_written);
        folders && files
    }
}

/// One line of the record after the first, as written by `OutputRecord::to_output`.
enum Line {
    Render(RecordedRender),
    IndexFile {
        lang: String,
        inputs: Digest,
        path: String,
        digest: Digest,
    },
    Shard {
        lang: String,
        key: Digest,
        path: String,
    },
    Inputs(Digest),
    File(RecordedFile),
    Source(RecordedSource),
    Folder(WalkedFolder),
    Pages {
        html: usize,
        outputs: usize,
    },
    Language {
        lang: String,
        pages: usize,
    },
}

impl Line {
    fn parse(line: &str) -> Option<Line> {
        let mut fields = line.splitn(5, ' ');
        Some(match fields.next()? {
            "r" => {
                let key = hex_digest(fields.next()?)?;
                let view = hex_digest(fields.next()?)?;
                let digest = hex_digest(fields.next()?)?;
                let path = SitePath::file(fields.next()?);
                Line::Render(RecordedRender {
                    path,
                    key,
                    view,
                    digest,
                })
            }
            "i" => Line::IndexFile {
                lang: fields.next()?.to_string(),
                inputs: hex_digest(fields.next()?)?,
                digest: hex_digest(fields.next()?)?,
                path: fields.next()?.to_string(),
            },
            "s" => Line::Shard {
                lang: fields.next()?.to_string(),
                key: hex_digest(fields.next()?)?,
                path: fields.next()?.to_string(),
            },
            "h" => Line::Inputs(hex_digest(fields.next()?)?),
            "f" => {
                let digest = hex_digest(fields.next()?)?;
                let size = fields.next()?.parse().ok()?;
                let path = line.splitn(4, ' ').nth(3)?.to_string();
                Line::File(RecordedFile { path, digest, size })
            }
            "m" => {
                // Seven fields, the path last (it may hold spaces).
                let mut fields = line.splitn(7, ' ').skip(1);
                let digest = hex_digest(fields.next()?)?;
                let stamp = Stamp {
                    size: fields.next()?.parse().ok()?,
                    modified_ns: fields.next()?.parse().ok()?,
                    changed_ns: fields.next()?.parse().ok()?,
                    inode: fields.next()?.parse().ok()?,
                };
                let path = PathBuf::from(fields.next()?);
                Line::Source(RecordedSource {
                    path,
                    stamp,
                    digest,
                })
            }
            "d" => {
                let rest = line.strip_prefix("d ")?;
                match rest.strip_prefix("- ") {
                    Some(path) => Line::Folder(WalkedFolder {
                        path: PathBuf::from(path),
                        stamp: None,
                    }),
                    // Five fields, the path last (it may hold spaces).
                    None => {
                        let mut fields = rest.splitn(5, ' ');
                        let stamp = Stamp {
                            size: fields.next()?.parse().ok()?,
                            modified_ns: fields.next()?.parse().ok()?,
                            changed_ns: fields.next()?.parse().ok()?,
                            inode: fields.next()?.parse().ok()?,
                        };
                        Line::Folder(WalkedFolder {
                            path: PathBuf::from(fields.next()?),
                            stamp: Some(stamp),
                        })
                    }
                }
            }
            "n" => Line::Pages {
                html: fields.next()?.parse().ok()?,
                outputs: fields.next()?.parse().ok()?,
            },
            "l" => Line::Language {
                lang: fields.next()?.to_string(),
                pages: fields.next()?.parse().ok()?,
            },
            _ => return None,
        })
    }
}

/// A digest written by `push_hex` (lower-case digits only), decoded with the processor's
/// vector instructions: a record has some 60,000 of them at 5,000 topics.
fn hex_digest(text: &str) -> Option<Digest> {
    faster_hex::hex_decode_array_with_case(text.as_bytes(), faster_hex::CheckCase::Lower).ok()
}

/// Appends `digest` in lower-case hexadecimal.
fn push_hex(text: &mut String, digest: &Digest) {
    faster_hex::hex_append(digest, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_record_reads_back_in_its_order() {
        let record = OutputRecord {
            renders: (0..20_000u32)
                .map(|at| RecordedRender {
                    path: SitePath::folder(&["fr", &format!("t{at}")]),
                    key: [(at % 251) as u8; 16],
                    view: [2; 16],
                    digest: [3; 16],
                })
                .collect(),
            files: (0..20_000u32)
                .map(|at| RecordedFile {
                    path: format!("fr/t{at}/index.html"),
                    digest: [(at % 241) as u8; 16],
                    size: u64::from(at),
                })
                .collect(),
            folders: (0..5_000u32)
                .map(|at| WalkedFolder {
                    path: format!("content/t{at}").into(),
                    stamp: None,
                })
                .collect(),
            ..OutputRecord::default()
        };
        let text = String::from_utf8(record.to_output().bytes().unwrap().to_vec()).unwrap();
        assert_eq!(OutputRecord::parse(&text), Some(record));
    }

    #[test]
    fn a_record_reads_back_as_written_and_a_damaged_one_not_at_all() {
        let record = OutputRecord {
            renders: vec![RecordedRender {
                path: SitePath::folder(&["fr", "a b"]),
                key: [1; 16],
                view: [2; 16],
                digest: [3; 16],
            }],
            indexes: vec![RecordedIndex {
                lang: "fr".into(),
                inputs: [4; 16],
                files: vec![
                    ("fr/recherche/search-index.js".into(), [5; 16]),
                    ("fr/recherche/search-d-0a.js".into(), [8; 16]),
                ],
                shards: vec![([9; 16], "fr/recherche/search-d-0a.js".into())],
            }],
            inputs: Some([6; 16]),
            files: vec![RecordedFile {
                path: "fr/a b/index.html".into(),
                digest: [7; 16],
                size: 12,
            }],
            sources: vec![RecordedSource {
                path: "content/a b/index.fr.md".into(),
                stamp: Stamp {
                    size: 40,
                    modified_ns: 1_764_000_000_123_456_789,
                    changed_ns: 1_764_000_001_000_000_001,
                    inode: 77,
                },
                digest: [10; 16],
            }],
            folders: vec![
                WalkedFolder {
                    path: "content".into(),
                    stamp: None,
                },
                WalkedFolder {
                    path: "content/a b".into(),
                    stamp: Some(Stamp {
                        size: 60,
                        modified_ns: 1_764_000_000_000_000_002,
                        changed_ns: 1_764_000_000_000_000_003,
                        inode: 78,
                    }),
                },
            ],
            pages: RecordedPages {
                html: 3,
                render_outputs: 4,
                per_language: vec![("fr".into(), 2)],
            },
        };
        let dir = tempfile::tempdir().unwrap();
        let output = record.to_output();
        std::fs::write(dir.path().join(RECORD_FILE), output.bytes().unwrap()).unwrap();
        assert_eq!(OutputRecord::read(dir.path()), Some(record));
        let text = String::from_utf8(output.bytes().unwrap().to_vec()).unwrap();
        std::fs::write(dir.path().join(RECORD_FILE), text.replace("r 01", "r 0g")).unwrap();
        assert_eq!(OutputRecord::read(dir.path()), None);
        std::fs::write(
            dir.path().join(RECORD_FILE),
            text.replacen("record 1", "record 0", 1),
        )
        .unwrap();
        assert_eq!(OutputRecord::read(dir.path()), None);
    }
}
