//! Load stage: walks content/, locales/ and the theme, and reads each file once into a
//! `SourceFile {path, kind, text, digest}`. `serve` keeps a `Sources` and updates single paths.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

mod walk;
pub use walk::{KnownListing, WalkedFolder};

use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// A digest of some bytes; equal digests mean equal inputs. XXH3's 128 bits: the digests
/// tell an edit from no edit (a chance collision among a site's million inputs is about
/// 1 in 10^27), never guard against forgery, as anyone who can write the record or the
/// caches can write the sources; a cryptographic digest (BLAKE3) was 7 % of a cold build.
pub type Digest = [u8; 16];

/// The digest of no input: what a missing template or locale contributes to a key.
pub const NO_DIGEST: Digest = [0; 16];

pub fn digest_bytes(bytes: &[u8]) -> Digest {
    xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes()
}

/// Feeds `Hash` values (whole structs, tuples of fields, earlier digests) into one digest:
/// how the pipeline keys what it can reuse from an earlier run.
#[derive(Default)]
pub struct DigestHasher {
    hasher: xxhash_rust::xxh3::Xxh3Default,
}

impl DigestHasher {
    pub fn add(&mut self, value: &(impl std::hash::Hash + ?Sized)) -> &mut Self {
        value.hash(self);
        self
    }

    /// Gathers the bytes of several sources (templates, locale files) in order.
    pub fn add_bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.hasher.update(bytes);
        self
    }

    pub fn digest(&self) -> Digest {
        self.hasher.digest128().to_le_bytes()
    }
}

impl std::hash::Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
    }

    fn finish(&self) -> u64 {
        self.hasher.digest()
    }
}

/// The digest of one `Hash` value.
pub fn digest_of(value: &(impl std::hash::Hash + ?Sized)) -> Digest {
    DigestHasher::default().add(value).digest()
}

/// The folder of the standalone pages (About, Accessibility…): `content/_pages/<id>/`. Their
/// pages are `TopicPage`s whose topic is `_pages/<id>`, so that pairing, translation checks,
/// `translated` and assets work for them as for topics; the model keeps them out of lists.
pub const PAGES_FOLDER: &str = "_pages";

/// What a file is to the pipeline, decided from where it sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// `content/<topic>/index.<lang>.md`, or `content/_pages/<id>/index.<lang>.md` with the
    /// topic `_pages/<id>`.
    TopicPage { topic: String, lang: String },
    /// `content/_index.<lang>.md`
    HomePage { lang: String },
    /// `content/glossary.toml`
    Glossary,
    /// Any other file in a topic folder, copied next to the topic's pages.
    Asset { topic: String, relative: String },
    /// `locales/<lang>/*.ftl`
    Locale { lang: String },
    /// `themes/<theme>/templates/<name>`
    Template { name: String },
    /// `themes/<theme>/static/<relative>`, copied to the site root.
    Static { relative: String },
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the project root.
    pub path: PathBuf,
    pub kind: SourceKind,
    /// The text of text sources (pages, glossary, locales, templates); `None` for assets.
    pub text: Option<Arc<str>>,
    pub digest: Digest,
}

impl SourceFile {
    /// The file's text: the one read with it, or, for a page the load left unread (its parse
    /// was known), its bytes read again now, which must still be those of its digest.
    pub fn text_or_read(&self, root: &Path) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        if let Some(text) = &self.text {
            return Ok(std::borrow::Cow::Borrowed(text));
        }
        let bytes = std::fs::read(root.join(&self.path)).map_err(|error| {
            Diagnostic::error(
                "io",
                &self.path,
                format!("cannot read {}: {error}", self.path.display()),
            )
        })?;
        if digest_bytes(&bytes) != self.digest {
            return Err(Diagnostic::error(
                "io",
                &self.path,
                format!(
                    "{} changed while the build read it; build again",
                    self.path.display()
                ),
            ));
        }
        decode_utf8(&self.path, bytes).map(std::borrow::Cow::Owned)
    }
}

/// Every input file of a project, by path relative to the project root.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: BTreeMap<PathBuf, SourceFile>,
    /// Symbolic links left out of the site, each with the warning that names it.
    pub skipped: BTreeMap<PathBuf, Diagnostic>,
    /// The metadata of the files read by `load` that had settled before they were read (see
    /// `Stamp`): what the next build compares to know them unchanged without reading them.
    pub stamps: BTreeMap<PathBuf, Stamp>,
    /// Every folder the load's walk went through, in its order, with its stamp when the next
    /// walk may take its entries from the record: the stamp had settled before the folder
    /// was listed, and every file the walk found in it is one of `stamps`.
    pub folders: Vec<WalkedFolder>,
}

/// What a file's metadata says of its bytes: the same stamp, the same bytes. The change time
/// is the kernel's own (no program can set it back, as `touch -d`, `tar` or `rsync -t` set the
/// modification time), and the inode tells a file replaced by another apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub modified_ns: i128,
    pub changed_ns: i128,
    pub inode: u64,
}

/// How long before it was read a file must have last changed for its stamp to be kept: a file
/// written again within the same tick of the kernel's clock as the write before keeps the
/// same times, so a stamp taken that close to a write could hide the next one. The kernel's
/// file times advance by a clock tick of 1–10 ms.
const SETTLED: std::time::Duration = std::time::Duration::from_millis(100);

impl Stamp {
    pub fn of(metadata: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let nanos =
            |seconds: i64, nanos: i64| i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
        Stamp {
            size: metadata.len(),
            modified_ns: nanos(metadata.mtime(), metadata.mtime_nsec()),
            changed_ns: nanos(metadata.ctime(), metadata.ctime_nsec()),
            inode: metadata.ino(),
        }
    }

    /// The stamp of a file whose metadata was read at `read_at`, if it had settled by then.
    fn settled(metadata: &std::fs::Metadata, read_at: std::time::SystemTime) -> Option<Stamp> {
        Stamp::of(metadata).settled_by(read_at)
    }

    /// This stamp, read at `read_at`, if it had settled by then.
    fn settled_by(self, read_at: std::time::SystemTime) -> Option<Stamp> {
        let stamp = self;
        let before = read_at.checked_sub(SETTLED)?;
        let before = before
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        let before = i128::try_from(before).ok()?;
        (stamp.modified_ns < before && stamp.changed_ns < before).then_some(stamp)
    }
}

impl From<crate::metadata::Metadata> for Stamp {
    fn from(metadata: crate::metadata::Metadata) -> Stamp {
        Stamp {
            size: metadata.size,
            modified_ns: metadata.modified_ns,
            changed_ns: metadata.changed_ns,
            inode: metadata.inode,
        }
    }
}

/// What reading one candidate path gave.
enum Read {
    File(SourceFile, Option<Stamp>),
    /// Not a file the pipeline uses.
    Ignored,
    /// Left out, with the warning that says so.
    Skipped(Diagnostic),
}

impl Sources {
    /// Walks the project and reads every file the pipeline uses; fails with every problem.
    pub fn load(root: &Path, config: &Config) -> Result<Sources, Vec<Diagnostic>> {
        Sources::load_discovered(root, config, Discovered::walk(root, config))
    }

    /// Reads every file that can be read, and reports the others.
    pub fn load_all(root: &Path, config: &Config) -> (Sources, Vec<Diagnostic>) {
        Sources::load_found(root, config, Discovered::walk(root, config))
    }

    /// `load` of the files a walk of the source folders found.
    pub fn load_discovered(
        root: &Path,
        config: &Config,
        found: Discovered,
    ) -> Result<Sources, Vec<Diagnostic>> {
        let (sources, problems) = Sources::load_found(root, config, found);
        if problems.is_empty() {
            Ok(sources)
        } else {
            Err(problems)
        }
    }

    /// `load_discovered`, but the files `stamped` knows unchanged are not read when their
    /// bytes are not needed: assets and static files (only their digest is), and, with
    /// `pages_unread`, pages (whose parse the parse store keeps; see
    /// `SourceFile::text_or_read`).
    pub fn load_stamped(
        root: &Path,
        config: &Config,
        found: Discovered,
        stamped: &Stamped,
        pages_unread: bool,
    ) -> Result<Sources, Vec<Diagnostic>> {
        let unread = |path: &Path| {
            let (stamp, digest) = stamped.known.get(path)?;
            let kind = match candidate(config, path, false) {
                Ok(Candidate::Source(kind)) => kind,
                _ => return None,
            };
            let needs_text = match kind {
                SourceKind::Asset { .. } | SourceKind::Static { .. } => false,
                SourceKind::TopicPage { .. } | SourceKind::HomePage { .. } => !pages_unread,
                _ => true,
            };
            let file = SourceFile {
                path: path.to_path_buf(),
                kind,
                text: None,
                digest: *digest,
            };
            (!needs_text).then_some(Read::File(file, Some(*stamp)))
        };
        let (sources, problems) = Sources::load_found_with(root, config, found, &unread);
        if problems.is_empty() {
            Ok(sources)
        } else {
            Err(problems)
        }
    }

    fn load_found(root: &Path, config: &Config, found: Discovered) -> (Sources, Vec<Diagnostic>) {
        Sources::load_found_with(root, config, found, &|_| None)
    }

    /// Reads what `found` lists, but for the files `unread` says what they are without it.
    fn load_found_with(
        root: &Path,
        config: &Config,
        found: Discovered,
        unread: &(dyn Fn(&Path) -> Option<Read> + Sync),
    ) -> (Sources, Vec<Diagnostic>) {
        let mut sources = Sources::default();
        let Discovered {
            paths,
            folders,
            mut problems,
        } = found;
        // Read on every core; kept in discovery order, so that problems come out sorted.
        let read: Vec<(PathBuf, Result<Read, Diagnostic>)> = paths
            .into_par_iter()
            .map(|(path, through_link)| {
                let read = match unread(&path).filter(|_| !through_link) {
                    Some(known) => Ok(known),
                    None => read_source_seen(root, config, &path, through_link),
                };
                (path, read)
            })
            .collect();
        // A folder holding a file the record will not stamp (one left out, skipped, not yet
        // settled or not a source) is listed by the next walk.
        let unstamped_in: HashSet<PathBuf> = read
            .iter()
            .filter(|(_, read)| !matches!(read, Ok(Read::File(_, Some(_)))))
            .filter_map(|(path, _)| path.parent().map(Path::to_path_buf))
            .collect();
        sources.folders = folders
            .into_iter()
            .map(|folder| WalkedFolder {
                stamp: folder
                    .stamp
                    .filter(|_| !unstamped_in.contains(&folder.path)),
                path: folder.path,
            })
            .collect();
        // The maps are built from lists in discovery order (sorted): a map built from sorted
        // entries compares each path with the one before only, where inserting them one by
        // one compared each with a dozen others, component by component.
        let mut files = Vec::with_capacity(read.len());
        let mut stamps = Vec::with_capacity(read.len());
        let mut skipped = Vec::new();
        for (path, read) in read {
            match read {
                Ok(Read::File(file, stamp)) => {
                    if let Some(stamp) = stamp {
                        stamps.push((path.clone(), stamp));
                    }
                    files.push((path, file));
                }
                Ok(Read::Ignored) => {}
                Ok(Read::Skipped(warning)) => skipped.push((path, warning)),
                Err(problem) => problems.push(problem),
            }
        }
        sources.files = files.into_iter().collect();
        sources.stamps = stamps.into_iter().collect();
        sources.skipped = skipped.into_iter().collect();
        for lang in &config.languages {
            if !root.join("locales").join(lang).is_dir() {
                problems.push(Diagnostic::error(
                    "locale-missing",
                    Path::new("locales").join(lang),
                    format!("no folder of Fluent tables for language \"{lang}\""),
                ));
            }
        }
        (sources, problems)
    }

    /// Re-reads one path after a change: updates, adds or removes it. Returns whether the set
    /// changed.
    pub fn refresh(
        &mut self,
        root: &Path,
        config: &Config,
        path: &Path,
    ) -> Result<bool, Diagnostic> {
        let absolute = root.join(path);
        // Read again now, outside a full load: its stamp would say nothing of these bytes,
        // nor its folder's of its entries.
        self.stamps.remove(path);
        self.folders.clear();
        let was_skipped = self.skipped.remove(path).is_some();
        if !absolute.is_file() && !crate::symlinks::is_symlink(&absolute) {
            return Ok(self.files.remove(path).is_some() || was_skipped);
        }
        match read_source(root, config, path)? {
            Read::File(file, _) => {
                let unchanged = self
                    .files
                    .get(path)
                    .is_some_and(|old| old.digest == file.digest);
                self.files.insert(path.to_path_buf(), file);
                Ok(!unchanged)
            }
            Read::Ignored => Ok(self.files.remove(path).is_some()),
            Read::Skipped(warning) => {
                self.skipped.insert(path.to_path_buf(), warning);
                Ok(self.files.remove(path).is_some() || !was_skipped)
            }
        }
    }

    /// Forgets the links left out under `folder` that are gone (with a removed folder).
    pub fn forget_gone_skipped(&mut self, root: &Path, folder: &Path) {
        self.skipped.retain(|known, _| {
            !known.starts_with(folder) || std::fs::symlink_metadata(root.join(known)).is_ok()
        });
    }

    /// The warnings about files left out of the site, in path order.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.skipped.values().cloned().collect()
    }

    /// Lets go of the text of every page once it is parsed, for a run that is the pipeline's
    /// only one (the pages hold what they need of it; a finding that quotes a line of a page
    /// reads it again from its file).
    pub fn forget_page_texts(&mut self) {
        for file in self.files.values_mut() {
            if matches!(
                file.kind,
                SourceKind::TopicPage { .. } | SourceKind::HomePage { .. }
            ) {
                file.text = None;
            }
        }
    }

    pub fn of_kind<'s>(
        &'s self,
        wanted: impl Fn(&SourceKind) -> bool + 's,
    ) -> impl Iterator<Item = &'s SourceFile> + 's {
        self.files.values().filter(move |file| wanted(&file.kind))
    }
}

/// Every candidate file under content/, locales/<lang>/ and the theme, relative to `root`.
pub fn discover(root: &Path, config: &Config, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let (paths, _, found_problems) = walk::walk(root, config, &KnownListing::default());
    problems.extend(found_problems);
    paths.into_iter().map(|(path, _)| path).collect()
}

/// Editor droppings and hidden files are never part of a site.
pub fn is_ignored_name(name: &str) -> bool {
    // JetBrains' safe write: the new text goes to `x___jb_tmp___`, the old to `x___jb_old___`.
    name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913" // vim's write test file
}

/// Where a relative path sits in the project; `Ok(None)` for paths the pipeline ignores.
pub fn classify(config: &Config, path: &Path) -> Result<Option<SourceKind>, Diagnostic> {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|component| match component {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect();
    if parts.iter().any(|part| is_ignored_name(part)) {
        return Ok(None);
    }
    let theme = config.theme.as_str();
    let kind = match parts.as_slice() {
        ["content", "glossary.toml"] => SourceKind::Glossary,
        ["content", name] => match page_language(name, "_index") {
            Some(lang) => {
                check_language(config, path, lang)?;
                SourceKind::HomePage {
                    lang: lang.to_string(),
                }
            }
            None => return Ok(None),
        },
        ["content", PAGES_FOLDER, id, rest @ ..] => {
            let topic = format!("{PAGES_FOLDER}/{id}");
            match rest {
                [name] if page_language(name, "index").is_some() => {
                    let lang = page_language(name, "index").unwrap_or_default();
                    check_language(config, path, lang)?;
                    SourceKind::TopicPage {
                        topic,
                        lang: lang.to_string(),
                    }
                }
                [] => return Ok(None),
                _ => SourceKind::Asset {
                    topic,
                    relative: rest.join("/"),
                },
            }
        }
        ["content", topic, rest @ ..] => {
            let lang = match rest {
                [name] => page_language(name, "index"),
                _ => None,
            };
            if rest.len() > 1
                && rest.last().is_some_and(|name| name.ends_with(".md"))
                && page_language(rest.last().unwrap_or(&""), "index").is_some()
            {
                return Err(Diagnostic::error(
                    "topic-nested",
                    path,
                    "topics are one folder deep: content/<topic-id>/index.<lang>.md",
                ));
            }
            match lang {
                Some(lang) => {
                    check_language(config, path, lang)?;
                    SourceKind::TopicPage {
                        topic: topic.to_string(),
                        lang: lang.to_string(),
                    }
                }
                None => SourceKind::Asset {
                    topic: topic.to_string(),
                    relative: rest.join("/"),
                },
            }
        }
        ["locales", lang, .., name] if name.ends_with(".ftl") => {
            if !config.languages.iter().any(|known| known == lang) {
                return Ok(None);
            }
            SourceKind::Locale {
                lang: lang.to_string(),
            }
        }
        ["themes", name, "templates", rest @ ..] if *name == theme && !rest.is_empty() => {
            SourceKind::Template {
                name: rest.join("/"),
            }
        }
        ["themes", name, "static", rest @ ..] if *name == theme && !rest.is_empty() => {
            SourceKind::Static {
                relative: rest.join("/"),
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(kind))
}

/// `index.fr.md` → `fr` when `stem` is `index`.
fn page_language<'n>(name: &'n str, stem: &str) -> Option<&'n str> {
    let rest = name.strip_prefix(stem)?.strip_prefix('.')?;
    let lang = rest.strip_suffix(".md")?;
    (!lang.is_empty() && !lang.contains('.')).then_some(lang)
}

fn check_language(config: &Config, path: &Path, lang: &str) -> Result<(), Diagnostic> {
    if config.languages.iter().any(|known| known == lang) {
        Ok(())
    } else {
        Err(Diagnostic::error(
            "page-unknown-language",
            path,
            format!(
                "language \"{lang}\" is not one of the site's languages ({})",
                config.languages.join(", ")
            ),
        )
        // The file's name is what is wrong, not a line of it: the error points at its start.
        .at_line_column(None, 1, 1)
        .with_help("add it to `languages` in briefing.toml, or rename the file"))
    }
}

/// The text of a file, or the error that points at its first byte that is not UTF-8.
pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&error.as_bytes()[..valid]).into_owned();
        Diagnostic::error("not-utf8", path, "file is not valid UTF-8")
            .at_span(&prefix, valid..valid)
    })
}

fn read_source(root: &Path, config: &Config, path: &Path) -> Result<Read, Diagnostic> {
    let through_link = crate::symlinks::through_symlink(root, path);
    read_source_seen(root, config, path, through_link)
}

/// `read_source` of a file already known to be reached through a symbolic link or not.
fn read_source_seen(
    root: &Path,
    config: &Config,
    path: &Path,
    through_link: bool,
) -> Result<Read, Diagnostic> {
    let kind = match candidate(config, path, through_link)? {
        Candidate::Ignored => return Ok(Read::Ignored),
        Candidate::ThroughLink => {
            return Ok(Read::Skipped(crate::symlinks::skipped_warning(path)));
        }
        Candidate::Source(kind) => kind,
    };
    let cannot_read = |error: std::io::Error| {
        Diagnostic::error(
            "io",
            path,
            format!("cannot read {}: {error}", path.display()),
        )
    };
    // The clock before the metadata, the metadata before the bytes: a write after the read
    // began either shows in the metadata or comes after a stamp that had settled.
    let read_at = std::time::SystemTime::now();
    let mut opened = std::fs::File::open(root.join(path)).map_err(cannot_read)?;
    let metadata = opened.metadata().map_err(cannot_read)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    std::io::Read::read_to_end(&mut ReadCallsOnly(&mut opened), &mut bytes).map_err(cannot_read)?;
    let stamp = Stamp::settled(&metadata, read_at).filter(|s| s.size == bytes.len() as u64);
    let digest = digest_bytes(&bytes);
    let is_text = !matches!(kind, SourceKind::Asset { .. } | SourceKind::Static { .. });
    let text = if is_text {
        Some(Arc::from(decode_utf8(path, bytes)?))
    } else {
        None
    };
    Ok(Read::File(
        SourceFile {
            path: path.to_path_buf(),
            kind,
            text,
            digest,
        },
        stamp,
    ))
}

/// A file read by `read` calls alone: `File`'s own `read_to_end` asks the kernel for the
/// file's size and position first (two calls more a file, 20,000 at 5,000 topics), which its
/// metadata, taken for the stamp, has just told.
struct ReadCallsOnly<'a>(&'a mut std::fs::File);

impl std::io::Read for ReadCallsOnly<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buffer)
    }
}

/// What a path a walk found is to the pipeline, before anything of it is read.
enum Candidate {
    /// Hidden, or no file the pipeline uses.
    Ignored,
    /// Reached through a symbolic link: left out, with a warning.
    ThroughLink,
    Source(SourceKind),
}

fn candidate(config: &Config, path: &Path, through_link: bool) -> Result<Candidate, Diagnostic> {
    let hidden = path
        .components()
        .any(|part| is_ignored_name(&part.as_os_str().to_string_lossy()));
    if hidden {
        return Ok(Candidate::Ignored);
    }
    if through_link {
        return Ok(Candidate::ThroughLink);
    }
    Ok(classify(config, path)?.map_or(Candidate::Ignored, Candidate::Source))
}

/// The paths a walk of the source folders found (with whether each is reached through a
/// symbolic link), the folders it went through, and the problems of those it could not read.
pub struct Discovered {
    paths: Vec<(PathBuf, bool)>,
    folders: Vec<WalkedFolder>,
    problems: Vec<Diagnostic>,
}

impl Discovered {
    pub fn walk(root: &Path, config: &Config) -> Discovered {
        Discovered::walk_known(root, config, &KnownListing::default())
    }

    /// `walk`, but a folder that still has the stamp `known` gives it is not listed: its
    /// entries are those `known` has in it (see `walk`).
    pub fn walk_known(root: &Path, config: &Config, known: &KnownListing<'_>) -> Discovered {
        let (paths, folders, problems) = walk::walk(root, config, known);
        Discovered {
            paths,
            folders,
            problems,
        }
    }

    /// The source files whose metadata is the stamp `recorded` gives them, hence whose
    /// digest is the recorded one: found from metadata alone. Whether every source file is
    /// one of them, and `recorded` names no other (a file that differs, is new, is gone, is
    /// reached through a link or cannot be looked at makes it not so).
    pub fn stamped(
        &self,
        root: &Path,
        config: &Config,
        recorded: &HashMap<&Path, (Stamp, Digest)>,
    ) -> Stamped {
        let folder = crate::metadata::Folder::open(root).ok();
        let looked: Vec<Option<(PathBuf, (Stamp, Digest))>> = self
            .paths
            .par_iter()
            .filter_map(
                |(path, through_link)| match candidate(config, path, *through_link) {
                    Ok(Candidate::Ignored) => None,
                    // A link is warned of by every run, and a bad path reported: read them all.
                    Ok(Candidate::ThroughLink) | Err(_) => Some(None),
                    Ok(Candidate::Source(_)) => {
                        let now = folder
                            .as_ref()
                            .and_then(|folder| folder.metadata_followed(path).ok());
                        let same = now.and_then(|now| {
                            let (stamp, digest) = recorded.get(path.as_path())?;
                            (Stamp::from(now) == *stamp).then_some((*stamp, *digest))
                        });
                        Some(same.map(|known| (path.clone(), known)))
                    }
                },
            )
            .collect();
        let looked_at = looked.len();
        let known: HashMap<PathBuf, (Stamp, Digest)> = looked.into_iter().flatten().collect();
        let all_unchanged =
            self.problems.is_empty() && known.len() == looked_at && known.len() == recorded.len();
        Stamped {
            known,
            all_unchanged,
        }
    }
}

/// What the metadata of the source files says of them (see `Discovered::stamped`).
pub struct Stamped {
    pub known: HashMap<PathBuf, (Stamp, Digest)>,
    pub all_unchanged: bool,
}

impl Stamped {
    /// The digest of every source file, in the load's order, when all are known.
    pub fn digests(&self) -> Option<Vec<(PathBuf, Digest)>> {
        if !self.all_unchanged {
            return None;
        }
        let mut files: Vec<(PathBuf, Digest)> = self
            .known
            .iter()
            .map(|(path, (_, digest))| (path.clone(), *digest))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Some(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_is_kept_only_for_a_file_that_had_settled_before_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "text").unwrap();
        let metadata = std::fs::metadata(&file).unwrap();
        let now = std::time::SystemTime::now();
        assert_eq!(Stamp::settled(&metadata, now), None, "just written");
        let later = now + std::time::Duration::from_secs(1);
        assert_eq!(Stamp::settled(&metadata, later), Some(Stamp::of(&metadata)));
        assert_eq!(Stamp::of(&metadata).size, 4);
    }

    pub(super) fn config() -> Config {
        Config {
            base_url: "https://example.org/".into(),
            languages: vec!["fr".into(), "en".into()],
            theme: "briefing".into(),
            translations: Default::default(),
            logo: None,
            menus: Default::default(),
            page_size: crate::config::DEFAULT_PAGE_SIZE,
        }
    }

    fn kind(path: &str) -> Option<SourceKind> {
        classify(&config(), Path::new(path)).unwrap()
    }

    #[test]
    fn files_are_classified_by_where_they_sit() {
        assert_eq!(
            kind("content/cyber/index.fr.md"),
            Some(SourceKind::TopicPage {
                topic: "cyber".into(),
                lang: "fr".into()
            })
        );
        assert_eq!(
            kind("content/_index.en.md"),
            Some(SourceKind::HomePage { lang: "en".into() })
        );
        assert_eq!(kind("content/glossary.toml"), Some(SourceKind::Glossary));
        assert_eq!(
            kind("content/cyber/img/map.png"),
            Some(SourceKind::Asset {
                topic: "cyber".into(),
                relative: "img/map.png".into()
            })
        );
        assert_eq!(kind("content/cyber/.index.fr.md.swp"), None);
        assert_eq!(
            kind("themes/briefing/templates/partials/head.html"),
            Some(SourceKind::Template {
                name: "partials/head.html".into()
            })
        );
        assert_eq!(kind("themes/other/templates/x.html"), None);
    }

    #[test]
    fn the_first_byte_that_is_not_utf8_is_pointed_at() {
        let error = decode_utf8(Path::new("x.md"), b"ab\nc\xe9d\n".to_vec()).unwrap_err();
        assert_eq!(error.location(), "x.md:2:2");
        let error = decode_utf8(Path::new("x.md"), b"ab\n\xff".to_vec()).unwrap_err();
        assert_eq!(error.location(), "x.md:2:1");
        let error = decode_utf8(Path::new("x.md"), b"\xff".to_vec()).unwrap_err();
        assert_eq!(error.location(), "x.md:1:1");
    }

    #[test]
    fn a_page_in_an_unknown_language_is_an_error() {
        let error = classify(&config(), Path::new("content/cyber/index.de.md")).unwrap_err();
        assert!(error.message.contains("\"de\""));
    }
}
