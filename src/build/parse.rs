//! Parse stage with its memory: each page file parsed once per text (and glossary), and the
//! pages of the last run in order, so that a run that only edited existing pages patches
//! them in place rather than looking up every file of the project again.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::glossary::Glossary;
use crate::content::media::{CalloutLabels, Media};
use crate::content::page::{HomeText, Page, PageInput, parse_home_with, parse_page_with};
use crate::diagnostic::Diagnostic;
use crate::parse_store::{StoredItem, StoredParse};
use crate::source::{Digest, SourceFile, SourceKind, Sources, digest_of};

/// The digests of a file and of the glossary terms of its language: what a parse reads.
type ParseKey = (Digest, Digest);
type ParseCache<T> = HashMap<PathBuf, Cached<T>>;

/// A file a parse looked at besides its own (an image it measured), with the digest it had
/// then (none: not a source file).
type FileRead = (PathBuf, Option<Digest>);

/// One file's parse, with what it was made from.
struct Cached<T> {
    key: ParseKey,
    /// The other files the parse read: it holds while they are as they were.
    reads: Vec<FileRead>,
    result: Result<Arc<T>, Vec<Diagnostic>>,
}

/// The pages (shared with the next run, which replaces the edited ones in place when this
/// run's copy is gone) and the home texts.
type Found = (Arc<Vec<Arc<Page>>>, Vec<Arc<HomeText>>);

#[derive(Default)]
pub struct ContentCache {
    pages: ParseCache<Page>,
    homes: ParseCache<HomeText>,
    /// The outcome of the last run whose pages all parsed.
    last: Option<LastParse>,
    /// How many files the last run parsed, and how many page files it had.
    parsed_count: (usize, usize),
}

struct LastParse {
    pages: Arc<Vec<Arc<Page>>>,
    homes: Vec<Arc<HomeText>>,
    slots: HashMap<PathBuf, Slot>,
    glossary: Vec<Digest>,
}

#[derive(Clone, Copy)]
enum Slot {
    Page(usize),
    Home(usize),
}

enum Parsed {
    Page(Result<Arc<Page>, Vec<Diagnostic>>),
    Home(Result<Arc<HomeText>, Vec<Diagnostic>>),
}

/// A parse before its digest takes in the files it read.
enum Made {
    Page(Result<Page, Vec<Diagnostic>>),
    Home(Result<HomeText, Vec<Diagnostic>>),
}

/// What `parse_file` made, and the other files it read.
type ParseOutcome = (Parsed, Vec<FileRead>);

/// What pages are parsed with besides their text and the glossary.
pub struct ParseContext<'a> {
    pub root: &'a std::path::Path,
    pub languages: &'a [String],
    pub glossary: &'a Glossary,
    /// The call-out labels of each language, in the order of `languages`.
    pub callouts: &'a [CalloutLabels],
}

impl ContentCache {
    /// Every page and home text of the project, in source order. `dirty` lists the paths
    /// changed since the last run, when known; with `later_runs`, what a later run patches
    /// (`patch`) is kept.
    pub fn parse(
        &mut self,
        sources: &Sources,
        context: &ParseContext<'_>,
        dirty: Option<&[PathBuf]>,
        later_runs: bool,
        problems: &mut Vec<Diagnostic>,
    ) -> Found {
        let languages = context.languages;
        let glossary_digests: Vec<Digest> = languages
            .iter()
            .zip(context.callouts)
            .map(|(lang, labels)| digest_of(&(context.glossary.terms(lang), labels)))
            .collect();
        let keys = Keys {
            languages,
            glossary: &glossary_digests,
            assets: Keys::assets_of(sources),
        };
        if let Some(dirty) = dirty
            && let Some(patched) = self.patch(sources, &keys, context, dirty)
        {
            return patched;
        }
        let found = self.parse_all(sources, &keys, context, problems);
        self.last =
            (later_runs && problems.is_empty()).then(|| LastParse::of(&found, glossary_digests));
        found
    }

    /// Every page and home text that parsed, drafts included.
    pub fn parsed(&self) -> (Vec<Arc<Page>>, Vec<Arc<HomeText>>) {
        fn parsed<T>(cache: &ParseCache<T>) -> Vec<Arc<T>> {
            cache
                .values()
                .filter_map(|cached| cached.result.as_ref().ok().cloned())
                .collect()
        }
        (parsed(&self.pages), parsed(&self.homes))
    }

    /// How many page files the last run parsed (the others' parses held), and how many it
    /// had.
    pub fn parsed_count(&self) -> (usize, usize) {
        self.parsed_count
    }

    /// (topic, language) of the pages that did not parse.
    pub fn unparsed(&self, sources: &Sources) -> Vec<(String, String)> {
        self.pages
            .iter()
            .filter(|(_, cached)| cached.result.is_err())
            .filter_map(|(path, _)| match &sources.files.get(path)?.kind {
                SourceKind::TopicPage { topic, lang } => Some((topic.clone(), lang.clone())),
                _ => None,
            })
            .collect()
    }

    /// Every parse that succeeded, for the parse store (`translation_digest` left for the
    /// pipeline to fill in).
    pub fn stored(&self) -> Vec<StoredParse> {
        let pages = self.pages.iter().filter_map(|(path, cached)| {
            let page = cached.result.as_ref().ok()?;
            Some(stored(path, cached, StoredItem::Page(page.clone())))
        });
        let homes = self.homes.iter().filter_map(|(path, cached)| {
            let home = cached.result.as_ref().ok()?;
            Some(stored(path, cached, StoredItem::Home(home.clone())))
        });
        pages.chain(homes).collect()
    }

    /// A cache that starts from the parses of the parse store: each is used only where its
    /// key and reads still hold, as any other.
    pub fn from_stored(entries: Vec<StoredParse>) -> ContentCache {
        let mut cache = ContentCache::default();
        for entry in entries {
            let StoredParse {
                path, key, reads, ..
            } = entry;
            match entry.parsed {
                StoredItem::Page(page) => {
                    let result = Ok(page);
                    cache.pages.insert(path, Cached { key, reads, result });
                }
                StoredItem::Home(home) => {
                    let result = Ok(home);
                    cache.homes.insert(path, Cached { key, reads, result });
                }
            }
        }
        cache
    }

    fn parse_all(
        &mut self,
        sources: &Sources,
        keys: &Keys<'_>,
        context: &ParseContext<'_>,
        problems: &mut Vec<Diagnostic>,
    ) -> Found {
        let files: Vec<&SourceFile> = sources.of_kind(is_page).collect();
        // Each key looks up its topic's files: worked out once per page, on every core.
        let keyed: Vec<(&SourceFile, ParseKey)> = files
            .par_iter()
            .map(|file| (*file, keys.of(file)))
            .collect();
        let stale: Vec<(&SourceFile, ParseKey)> = keyed
            .into_par_iter()
            .filter(|(file, key)| !self.holds(file, *key, sources))
            .collect();
        self.parsed_count = (stale.len(), files.len());
        let parsed: Vec<(&SourceFile, ParseKey, ParseOutcome)> = stale
            .par_iter()
            .map(|(file, key)| (*file, *key, parse_file(file, *key, context, sources)))
            .collect();
        for (file, key, parsed) in parsed {
            self.remember(file, key, parsed);
        }
        if self.pages.len() + self.homes.len() != files.len() {
            let still_a_page = |path: &PathBuf| {
                sources
                    .files
                    .get(path)
                    .is_some_and(|file| is_page(&file.kind))
            };
            self.pages.retain(|path, _| still_a_page(path));
            self.homes.retain(|path, _| still_a_page(path));
        }
        // Looked up on every core, gathered in source order.
        enum Looked<'c> {
            Page(&'c Arc<Page>),
            Home(&'c Arc<HomeText>),
            Failed(&'c [Diagnostic]),
            Missing,
        }
        let looked: Vec<Looked<'_>> = files
            .par_iter()
            .map(|file| {
                let (page, home) = match &file.kind {
                    SourceKind::TopicPage { .. } => (self.pages.get(&file.path), None),
                    _ => (None, self.homes.get(&file.path)),
                };
                match (page.map(|c| &c.result), home.map(|c| &c.result)) {
                    (Some(Ok(page)), _) => Looked::Page(page),
                    (_, Some(Ok(home))) => Looked::Home(home),
                    (Some(Err(found)), _) | (_, Some(Err(found))) => Looked::Failed(found),
                    (None, None) => Looked::Missing,
                }
            })
            .collect();
        let mut pages = Vec::with_capacity(self.pages.len());
        let mut homes = Vec::new();
        for looked in looked {
            match looked {
                Looked::Page(page) => pages.push(page.clone()),
                Looked::Home(home) => homes.push(home.clone()),
                Looked::Failed(found) => problems.extend(found.iter().cloned()),
                Looked::Missing => {}
            }
        }
        (Arc::new(pages), homes)
    }

    /// The last run's pages with the `dirty` ones parsed again, when every dirty path is an
    /// edited page (or no page at all) and the glossary did not change; `None` otherwise.
    fn patch(
        &mut self,
        sources: &Sources,
        keys: &Keys<'_>,
        context: &ParseContext<'_>,
        dirty: &[PathBuf],
    ) -> Option<Found> {
        let mut last = self.last.take()?;
        if last.glossary != keys.glossary {
            return None;
        }
        let mut edited = Vec::new();
        for path in dirty {
            match (last.slots.get(path), sources.files.get(path)) {
                (Some(slot), Some(file)) => edited.push((*slot, file)),
                // An image's size is written into the pages of its topic.
                (None, Some(file)) if matches!(file.kind, SourceKind::Asset { .. }) => {
                    return None;
                }
                (None, Some(file)) if !is_page(&file.kind) => {}
                (None, None) if !path.starts_with("content") => {}
                // A page appeared or went away, or a folder moved: parse everything.
                _ => return None,
            }
        }
        self.parsed_count = (0, last.slots.len());
        for (slot, file) in edited {
            let key = keys.of(file);
            if !self.holds(file, key, sources) {
                self.parsed_count.0 += 1;
                let parsed = parse_file(file, key, context, sources);
                self.remember(file, key, parsed);
            }
            let page = self.pages.get(&file.path).map(|cached| &cached.result);
            let home = self.homes.get(&file.path).map(|cached| &cached.result);
            match (slot, page, home) {
                (Slot::Page(at), Some(Ok(page)), _) => {
                    Arc::make_mut(&mut last.pages)[at] = page.clone();
                }
                (Slot::Home(at), _, Some(Ok(home))) => last.homes[at] = home.clone(),
                // A page that does not parse: the full pass reports it.
                _ => return None,
            }
        }
        let found = (last.pages.clone(), last.homes.clone());
        self.last = Some(last);
        Some(found)
    }

    /// Whether the cached parse of `file` is the one `key` and the sources would give.
    fn holds(&self, file: &SourceFile, key: ParseKey, sources: &Sources) -> bool {
        let cached = match &file.kind {
            SourceKind::TopicPage { .. } => self.pages.get(&file.path).map(|c| (c.key, &c.reads)),
            _ => self.homes.get(&file.path).map(|c| (c.key, &c.reads)),
        };
        cached.is_some_and(|(cached, reads)| cached == key && reads_hold(reads, sources))
    }

    fn remember(&mut self, file: &SourceFile, key: ParseKey, (parsed, reads): ParseOutcome) {
        match parsed {
            Parsed::Page(result) => {
                let cached = Cached { key, reads, result };
                self.pages.insert(file.path.clone(), cached);
            }
            Parsed::Home(result) => {
                let cached = Cached { key, reads, result };
                self.homes.insert(file.path.clone(), cached);
            }
        }
    }
}

impl LastParse {
    fn of(found: &Found, glossary: Vec<Digest>) -> LastParse {
        let (pages, homes) = found;
        let mut slots = HashMap::with_capacity(pages.len() + homes.len());
        for (at, page) in pages.iter().enumerate() {
            slots.insert(page.path.clone(), Slot::Page(at));
        }
        for (at, home) in homes.iter().enumerate() {
            slots.insert(home.path.clone(), Slot::Home(at));
        }
        LastParse {
            pages: pages.clone(),
            homes: homes.clone(),
            slots,
            glossary,
        }
    }
}

struct Keys<'a> {
    languages: &'a [String],
    /// Per language: the glossary terms and call-out labels.
    glossary: &'a [Digest],
    /// The digest of each topic's files besides its pages (their sizes go into its pages),
    /// for the topics that have any.
    assets: HashMap<&'a str, Digest>,
}

impl Keys<'_> {
    fn of(&self, file: &SourceFile) -> ParseKey {
        let (lang, topic) = match &file.kind {
            SourceKind::TopicPage { lang, topic } => (lang.as_str(), Some(topic)),
            SourceKind::HomePage { lang } => (lang.as_str(), None),
            _ => ("", None),
        };
        let glossary = self
            .languages
            .iter()
            .position(|known| known == lang)
            .map_or(crate::source::NO_DIGEST, |at| self.glossary[at]);
        match topic.and_then(|topic| self.assets.get(topic.as_str())) {
            Some(assets) => (file.digest, digest_of(&(glossary, assets))),
            None => (file.digest, glossary),
        }
    }

    /// The digest of the files of each topic besides its pages (they sit in its folder), in
    /// path order: one pass over the sorted sources.
    fn assets_of(sources: &Sources) -> HashMap<&str, Digest> {
        let mut hashers: HashMap<&str, crate::source::DigestHasher> = HashMap::new();
        for file in sources.files.values() {
            if let SourceKind::Asset { topic, relative } = &file.kind {
                hashers
                    .entry(topic.as_str())
                    .or_default()
                    .add(relative)
                    .add(&file.digest);
            }
        }
        hashers
            .into_iter()
            .map(|(topic, hasher)| (topic, hasher.digest()))
            .collect()
    }
}

fn stored<T>(path: &std::path::Path, cached: &Cached<T>, parsed: StoredItem) -> StoredParse {
    StoredParse {
        path: path.to_path_buf(),
        key: cached.key,
        reads: cached.reads.clone(),
        parsed,
        translation_digest: None,
    }
}

fn is_page(kind: &SourceKind) -> bool {
    matches!(
        kind,
        SourceKind::TopicPage { .. } | SourceKind::HomePage { .. }
    )
}

/// Parses one page or home text; `key` and the image files it measures (wherever they are)
/// say everything it is parsed from, which its digest then covers (the text alone does not:
/// the sizes of its images, its call-out labels).
fn parse_file(
    file: &SourceFile,
    key: ParseKey,
    context: &ParseContext<'_>,
    sources: &Sources,
) -> ParseOutcome {
    let text = match file.text_or_read(context.root) {
        Ok(text) => text,
        Err(problem) => {
            let failed = match &file.kind {
                SourceKind::TopicPage { .. } => Parsed::Page(Err(vec![problem])),
                _ => Parsed::Home(Err(vec![problem])),
            };
            return (failed, Vec::new());
        }
    };
    let text = text.as_ref();
    let folder = file.path.parent().unwrap_or(std::path::Path::new(""));
    let measured = std::sync::Mutex::new(Vec::new());
    let image_size = |src: &str| {
        let path = image_path(context.root, folder, src)?;
        let size = crate::identity::image_size(&context.root.join(&path));
        measured
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path);
        size
    };
    let lang = match &file.kind {
        SourceKind::TopicPage { lang, .. } | SourceKind::HomePage { lang } => lang,
        _ => unreachable!("only pages are parsed"),
    };
    let callouts = context
        .languages
        .iter()
        .position(|known| known == lang)
        .and_then(|at| context.callouts.get(at))
        .cloned()
        .unwrap_or_default();
    let media = Media {
        callouts,
        image_size: &image_size,
    };
    let glossary = context.glossary.terms(lang);
    let parsed = match &file.kind {
        SourceKind::TopicPage { topic, lang } => {
            let input = PageInput {
                path: &file.path,
                topic,
                lang,
                text,
                glossary,
            };
            Made::Page(parse_page_with(&input, &media))
        }
        _ => Made::Home(parse_home_with(&file.path, lang, text, glossary, &media)),
    };
    let mut measured = measured.into_inner().unwrap_or_else(|e| e.into_inner());
    measured.sort();
    measured.dedup();
    let reads: Vec<FileRead> = measured
        .into_iter()
        .map(|path| {
            let digest = sources.files.get(&path).map(|found| found.digest);
            (path, digest)
        })
        .collect();
    // The files measured are inputs of the page as much as its text.
    let with_key = |digest: Digest| digest_of(&(digest, key.1, &reads));
    let parsed = match parsed {
        Made::Page(page) => Parsed::Page(page.map(|mut page| {
            page.digest = with_key(page.digest);
            Arc::new(page)
        })),
        Made::Home(home) => Parsed::Home(home.map(|mut home| {
            home.digest = with_key(home.digest);
            Arc::new(home)
        })),
    };
    (parsed, reads)
}

/// Whether the files a parse read are still as they were.
fn reads_hold(reads: &[FileRead], sources: &Sources) -> bool {
    reads
        .iter()
        .all(|(path, digest)| sources.files.get(path).map(|found| found.digest) == *digest)
}

/// The file of the project's content a page's relative link names (from the page's folder),
/// relative to the root.
fn image_path(root: &std::path::Path, folder: &std::path::Path, src: &str) -> Option<PathBuf> {
    if src.contains(':') || src.starts_with('/') {
        return None;
    }
    let path = src.split(['?', '#']).next()?;
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut joined = folder.to_path_buf();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if !joined.pop() {
                    return None;
                }
            }
            part => joined.push(part),
        }
    }
    if !joined.starts_with("content") || crate::symlinks::through_symlink(root, &joined) {
        return None;
    }
    Some(joined)
}
