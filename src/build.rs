//! One run of the pipeline: load → parse → assemble → render → outputs, with a cache that
//! lets `serve` rerun it over a change set and redo only what the change touches.

use crate::output::record::OutputRecord;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod outputs;
mod parse;
mod unchanged;

use crate::check::translations::TranslationState;
use crate::config::{CONFIG_FILE, Config};
use crate::content::glossary::{GLOSSARY_FILE, Glossary};
use crate::content::media::CalloutLabels;
use crate::content::page::{HomeText, Page};
use crate::diagnostic::{Diagnostic, sort_diagnostics};
use crate::i18n::Locales;
use crate::model::held_back::{HeldBack, HeldBackMemo, held_back_warnings, held_back_with_memo};
use crate::model::{AssembleCache, AssembleInput, SiteModel, assemble_with_cache};
use crate::output::Output;
use crate::parse_store::{ParseStore, StoredItem, StoredParse};
use crate::render::theme::Theme;
use crate::render::views::{Planner, ViewOptions};
use crate::render::{RenderCache, RenderInput, render_site};
use crate::search::IndexCache;
use crate::search::memo::TermMemos;
use crate::source::{Digest, DigestHasher, SourceKind, Sources, digest_of};
use crate::urls::{LinkStyle, SitePath};
pub use outputs::OutputDelta;
use outputs::OutputTable;
use parse::ContentCache;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOptions {
    pub drafts: bool,
    pub link_style: LinkStyle,
    /// Replaces `base_url` (the dev server's own address).
    pub base_url: Option<String>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            drafts: false,
            link_style: LinkStyle::Server,
            base_url: None,
        }
    }
}

/// The product of a successful run.
#[derive(Debug, Clone)]
pub struct Site {
    /// Shared with the pipeline, which updates its own list in place on the next run when
    /// this one is gone.
    pub outputs: Arc<Vec<Output>>,
    /// This list of outputs' number, unique in the process.
    pub generation: u64,
    /// How `outputs` differs from those of the same pipeline's last successful run, when
    /// that is known without comparing them.
    pub delta: Option<OutputDelta>,
    /// How many outputs were rendered by this run (the others came from the cache).
    pub rendered: usize,
    /// How many outputs the render stage gave, rendered or reused (pages, feeds, sitemaps).
    pub render_outputs: usize,
    pub rendered_paths: Vec<String>,
    /// HTML pages per language, in the order of the configuration.
    pub pages_per_language: Vec<(String, usize)>,
    /// Every HTML page, those outside a language (the chooser, the 404 page) included.
    pub html_pages: usize,
    /// Some(number of files) when the run found the output folder already holding what it
    /// would make, and made nothing (`outputs` is then empty and nothing is to be written).
    pub unchanged_files: Option<usize>,
    /// The address the site was built for (`base_url`, or the one that replaced it).
    pub base_url: String,
    pub duration: Duration,
    /// What the run did not stop at: topics held back by the publication rule, symbolic
    /// links left out.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in order: (stage, time).
    pub timings: Vec<(&'static str, Duration)>,
}

/// The whole project as the parse stages see it, problems included: what `check` works on.
pub struct Inspection {
    pub config: Config,
    pub locales: Arc<Locales>,
    /// Every page and home text that parsed, drafts included.
    pub pages: Vec<Arc<Page>>,
    pub homes: Vec<Arc<HomeText>>,
    /// (topic, language) of the pages that did not parse.
    pub unparsed: Vec<(String, String)>,
    /// Every problem of loading and parsing, unsorted.
    pub problems: Vec<Diagnostic>,
}

/// A failed run: every problem found, sorted.
#[derive(Debug, Clone)]
pub struct BuildFailure {
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildFailure {
    fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        sort_diagnostics(&mut diagnostics);
        BuildFailure { diagnostics }
    }
}

/// The pipeline with what it remembers between runs.
pub struct Pipeline {
    root: PathBuf,
    options: BuildOptions,
    config: Option<Config>,
    sources: Sources,
    content: ContentCache,
    assemble_cache: AssembleCache,
    render_cache: RenderCache,
    /// The outputs of the last run, updated where its render revised them.
    output_table: OutputTable,
    search_cache: IndexCache,
    /// Each language's documents with their terms, for the next index to read only those
    /// that changed (kept in the project's cache with the parses: `keep_parses`).
    term_memos: TermMemos,
    /// Source digests for the publication rule, kept across runs by the digest of the source
    /// page they were made from: found without looking the page's file up, and worked out
    /// again only for pages edited since.
    page_source_digests: std::collections::HashMap<Digest, Option<String>>,
    /// The topics held back by the last run, to redo only those whose pages changed.
    held_back_memo: Option<HeldBackMemo>,
    /// The interface strings and theme of the last run, by the digest of their files.
    interface_cache: Option<(Digest, Arc<Locales>, Arc<Theme>)>,
    /// Runs leave the search indexes to the caller (`serve` builds them on their own thread).
    search_deferred: bool,
    /// The caches the next full run starts from: the output folder's record.
    recorded: Option<(RenderCache, IndexCache)>,
    /// The record again, for the next full run to see whether it has anything to do.
    recorded_build: Option<unchanged::RecordedBuild>,
    /// The output folder's record as `start_from_record` read it (see `record_at_start`).
    record_at_start: Option<Arc<OutputRecord>>,
    /// Whether the output folder was as that record says when the last full run began.
    found_as_written: bool,
    /// The digest of the inputs of the last full run (see `inputs_digest`).
    last_inputs: Option<Digest>,
    /// The last model assembled, for `serve` and `check`.
    pub model: Option<Arc<SiteModel>>,
    /// The stages of the current run timed so far.
    timings: Vec<(&'static str, Duration)>,
    /// Whether the pipeline runs once only (`build`): page texts are let go once parsed.
    single_run: bool,
    /// Where the render writes each page it makes, when the build stages its whole site.
    write_through: Option<Arc<crate::output::WriteThrough>>,
    /// The parse store the full runs start from (when `reuse`) and `save_parses` writes.
    parse_store: Option<KeptParses>,
}

/// The parse store of a pipeline, and whether its next full run starts from what it holds
/// (the first one only: later runs start from the pipeline's own parses, newer than the
/// store's).
struct KeptParses {
    store: ParseStore,
    reuse: bool,
}

impl KeptParses {
    /// The parses of `kept`'s store, once; else only what its shards hold, so that saving
    /// after a run that parsed everything itself rewrites only the shards that differ.
    fn read(kept: &mut Option<KeptParses>) -> Vec<StoredParse> {
        let Some(kept) = kept else {
            return Vec::new();
        };
        if !std::mem::take(&mut kept.reuse) {
            kept.store.note_heads();
            return Vec::new();
        }
        kept.store.load()
    }
}

impl Pipeline {
    pub fn new(root: impl Into<PathBuf>, options: BuildOptions) -> Pipeline {
        Pipeline {
            root: root.into(),
            options,
            config: None,
            sources: Sources::default(),
            content: ContentCache::default(),
            assemble_cache: AssembleCache::default(),
            render_cache: RenderCache::default(),
            output_table: OutputTable::default(),
            search_cache: IndexCache::default(),
            term_memos: TermMemos::default(),
            page_source_digests: Default::default(),
            held_back_memo: None,
            interface_cache: None,
            search_deferred: false,
            recorded: None,
            recorded_build: None,
            record_at_start: None,
            found_as_written: false,
            last_inputs: None,
            model: None,
            timings: Vec::new(),
            single_run: false,
            write_through: None,
            parse_store: None,
        }
    }

    /// Records that `stage`, begun at `clock`, ended now; the next one begins.
    fn lap(&mut self, stage: &'static str, clock: &mut Instant) {
        self.timings.push((stage, clock.elapsed()));
        *clock = Instant::now();
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The site model of the last successful run.
    pub fn model(&self) -> Option<Arc<SiteModel>> {
        self.model.clone()
    }

    /// The interface strings of the last run, when they loaded without problems.
    pub fn locales(&self) -> Option<Arc<Locales>> {
        self.interface_cache
            .as_ref()
            .map(|(_, locales, _)| locales.clone())
    }

    /// How many page files the last run parsed, and how many it had: the others' parses
    /// were reused (from an earlier run or the parse store).
    pub fn pages_parsed(&self) -> (usize, usize) {
        self.content.parsed_count()
    }

    /// Every page and home text of the last run that parsed, drafts included.
    pub fn parsed_pages(&self) -> (Vec<Arc<Page>>, Vec<Arc<HomeText>>) {
        self.content.parsed()
    }

    /// Leaves the search indexes out of the runs' outputs: `serve` makes them from each
    /// run's model on a thread of their own, as an index reads every topic of its language
    /// and must not hold back the reload of an edited page.
    pub fn defer_search_index(&mut self) {
        self.search_deferred = true;
    }

    /// Makes the next full run start from the record of the build that wrote `out_dir`, if
    /// it has one: outputs whose inputs did not change are taken from their files there.
    /// With `may_stop`, a run whose inputs are all the recorded build's, into a folder left
    /// as that build wrote it, stops there with nothing to do (`Site::unchanged_files`).
    pub fn start_from_record(&mut self, out_dir: &Path, may_stop: bool) {
        if let Some(mut read) = OutputRecord::read(out_dir) {
            let renders = std::mem::take(&mut read.renders);
            let indexes = std::mem::take(&mut read.indexes);
            self.recorded = Some((
                RenderCache::from_recorded(renders, out_dir),
                IndexCache::from_recorded(indexes, out_dir),
            ));
            if may_stop {
                // Its files, sources and inputs: what says whether the build has nothing to
                // do, and which outputs may be taken from the folder unread.
                let read = Arc::new(read);
                self.record_at_start = Some(read.clone());
                self.recorded_build = Some(unchanged::RecordedBuild {
                    out_dir: out_dir.to_path_buf(),
                    read,
                    folder_as_written: false,
                });
            }
        }
    }

    /// Says that the pipeline will run once only, as for `build`: what only a later run
    /// would read again (the text of every page, once parsed) is let go during the run, so
    /// that the build holds less at its peak.
    pub fn run_once(&mut self) {
        self.single_run = true;
    }

    /// Keeps each page's parse in the project's parse store (`parse_store`) for later
    /// builds, and each language's search terms (`search::memo`): `save_parses` writes them,
    /// and, with `reuse`, the next full run (or `inspect`) starts from them, parsing only the
    /// pages whose inputs changed and reading the words of only the search documents that did.
    pub fn keep_parses(&mut self, reuse: bool) {
        self.parse_store = Some(KeptParses {
            store: ParseStore::of_project(&self.root),
            reuse,
        });
        self.term_memos = TermMemos::in_project(&self.root, reuse);
    }

    /// Writes the parses of the last run into the parse store, if `keep_parses` asked for
    /// it: only the shards whose entries changed.
    pub fn save_parses(&self, cleanup: &crate::output::Cleanup) -> std::io::Result<()> {
        let Some(kept) = &self.parse_store else {
            return Ok(());
        };
        let mut entries = self.content.stored();
        for entry in &mut entries {
            if let StoredItem::Page(page) = &entry.parsed {
                entry.translation_digest = self
                    .page_source_digests
                    .get(&page.digest)
                    .cloned()
                    .flatten();
            }
        }
        kept.store.save(entries, cleanup)?;
        self.term_memos.save(cleanup)
    }

    /// Starts the parse cache from the parse store's parses, and knows the digests
    /// translations record for its pages as if this pipeline had worked them out (see
    /// `held_back`).
    fn start_from_stored(&mut self, stored: Vec<StoredParse>) {
        for entry in &stored {
            if let (StoredItem::Page(page), Some(digest)) =
                (&entry.parsed, &entry.translation_digest)
            {
                self.page_source_digests
                    .insert(page.digest, Some(digest.clone()));
            }
        }
        self.content = ContentCache::from_stored(stored);
    }

    /// The output folder's record as the build read it when it began: what the write stage
    /// updates the folder from, when the build has held its turn at the folder since.
    pub fn record_at_start(&self) -> Option<&OutputRecord> {
        self.record_at_start.as_deref()
    }

    /// Whether the output folder was as `record_at_start` says when the last full run began.
    pub fn found_as_written(&self) -> bool {
        self.record_at_start.is_some() && self.found_as_written
    }

    /// Whether the next full run starts from an output folder's record (`start_from_record`).
    pub fn has_record(&self) -> bool {
        self.recorded.is_some()
    }

    /// Makes the render write each page it makes into `through`'s staging folder at once
    /// and keep only where it is, until `stop_writing_through`; for a build that stages its
    /// whole site, which then holds no page's bytes.
    pub fn write_through(&mut self, through: Arc<crate::output::WriteThrough>) {
        self.write_through = Some(through);
    }

    pub fn stop_writing_through(&mut self) {
        self.write_through = None;
    }

    /// What the next build into the same folder may start from (see `start_from_record`),
    /// after the full run that made `site`.
    pub fn output_record(&self, site: &Site) -> OutputRecord {
        // A warning only a new run gives again (a topic held back) must not be skipped.
        let repeatable = site.warnings.len() == self.sources.skipped.len();
        OutputRecord {
            renders: self.render_cache.recorded(),
            indexes: self.search_cache.recorded(),
            inputs: self.last_inputs.filter(|_| repeatable),
            sources: if repeatable && self.last_inputs.is_some() {
                self.recorded_sources()
            } else {
                Vec::new()
            },
            folders: if repeatable && self.last_inputs.is_some() {
                self.sources.folders.clone()
            } else {
                Vec::new()
            },
            files: site
                .outputs
                .iter()
                .map(|output| crate::output::record::RecordedFile {
                    path: output.path.clone(),
                    digest: output.digest,
                    size: output.size(),
                })
                .collect(),
            pages: crate::output::record::RecordedPages {
                html: site.html_pages,
                render_outputs: site.render_outputs,
                per_language: site.pages_per_language.clone(),
            },
        }
    }

    /// Runs over the whole project, re-reading every file.
    pub fn run_full(&mut self) -> Result<Site, BuildFailure> {
        self.run(None)
    }

    /// Runs after `changed` paths (relative to the root) changed; `None` re-reads everything.
    pub fn run(&mut self, changed: Option<&[PathBuf]>) -> Result<Site, BuildFailure> {
        let started = Instant::now();
        let config = Config::load(&self.root).map_err(BuildFailure::new)?;
        self.timings.clear();
        let config_changed = self.config.as_ref() != Some(&config);
        let dirty = match changed {
            Some(paths)
                if !config_changed && !paths.iter().any(|p| p == Path::new(CONFIG_FILE)) =>
            {
                self.refresh_sources(&config, paths)?;
                Some(paths)
            }
            _ => {
                self.assemble_cache = AssembleCache::default();
                // A record's entries are reused by the digests of their inputs, as the
                // render cache's own are: they hold whatever the configuration.
                let (render, search) = self.recorded.take().unwrap_or_default();
                self.render_cache = render;
                self.search_cache = search;
                // Whether the output folder is as its record says is looked at while the
                // sources' stamps are: two walks of their own folders, on the two cores.
                self.found_as_written = false;
                let walked = match &self.recorded_build {
                    Some(recorded) => {
                        let (walked, folder_as_written) = rayon::join(
                            || self.walk_sources(&config, recorded.record()),
                            || recorded.record().folder_is_as_written(&recorded.out_dir),
                        );
                        if let Some(recorded) = &mut self.recorded_build {
                            recorded.folder_as_written = folder_as_written;
                        }
                        self.found_as_written = folder_as_written;
                        Some(walked)
                    }
                    None => None,
                };
                if let Some(unchanged::Walked::Stamped { stamped, .. }) = &walked
                    && let Some(digests) = stamped.digests()
                    && let Some(site) = self.unchanged_by_stamps(&config, &digests, started)
                {
                    return Ok(site);
                }
                // The sources the stamps do not vouch for are read while the parse store is.
                let mut store = self.parse_store.take();
                let reuse_parses = store.as_ref().is_some_and(|kept| kept.reuse);
                let pages_unread = self.single_run && reuse_parses;
                let root = self.root.as_path();
                let (sources, stored) = rayon::join(
                    || match walked {
                        Some(unchanged::Walked::Read(sources)) => sources,
                        Some(unchanged::Walked::Stamped {
                            discovered,
                            stamped,
                        }) => {
                            Sources::load_stamped(root, &config, discovered, &stamped, pages_unread)
                        }
                        None => Sources::load(root, &config),
                    },
                    || KeptParses::read(&mut store),
                );
                self.parse_store = store;
                self.start_from_stored(stored);
                self.sources = sources.map_err(BuildFailure::new)?;
                if let Some(recorded) = &self.recorded_build
                    && recorded.folder_as_written
                {
                    self.render_cache.trust_recorded_files(recorded.record());
                    self.search_cache.trust_recorded_files(recorded.record());
                }
                None
            }
        };
        self.config = Some(config.clone());
        self.lap("load", &mut started.clone());
        if dirty.is_none() {
            let inputs = self.inputs_digest(&config);
            self.last_inputs = Some(inputs);
            if let Some(site) = self.unchanged_site(&config, &inputs, started) {
                return Ok(site);
            }
        }
        let site = self.run_stages(&config, dirty).map_err(BuildFailure::new)?;
        Ok(Site {
            duration: started.elapsed(),
            warnings: [self.sources.warnings(), site.warnings.clone()].concat(),
            timings: std::mem::take(&mut self.timings),
            ..site
        })
    }

    fn refresh_sources(&mut self, config: &Config, paths: &[PathBuf]) -> Result<(), BuildFailure> {
        let mut problems = Vec::new();
        for path in paths {
            if path.starts_with("content") && self.root.join(path).is_dir() {
                // A folder appeared (or was renamed in): read everything under it.
                for found in crate::source::discover(&self.root, config, &mut problems) {
                    if found.starts_with(path)
                        && let Err(problem) = self.sources.refresh(&self.root, config, &found)
                    {
                        problems.push(problem);
                    }
                }
                continue;
            }
            // A removed folder takes its files with it. Paths order by component, so the
            // files under `path` come right after it.
            let gone: Vec<PathBuf> = self
                .sources
                .files
                .range::<Path, _>((
                    std::ops::Bound::Included(path.as_path()),
                    std::ops::Bound::Unbounded,
                ))
                .map(|(known, _)| known)
                .take_while(|known| known.starts_with(path))
                .filter(|known| !self.root.join(known).exists())
                .cloned()
                .collect();
            for known in gone {
                self.sources.files.remove(&known);
            }
            self.sources.forget_gone_skipped(&self.root, path);
            if let Err(problem) = self.sources.refresh(&self.root, config, path) {
                problems.push(problem);
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(BuildFailure::new(problems))
        }
    }

    /// Loads and parses the whole project like a build does, but keeps going past problems:
    /// every input that parsed and every problem found, for `check`. Fails only when the
    /// configuration cannot be read, as then nothing else can be.
    pub fn inspect(&mut self) -> Result<Inspection, Vec<Diagnostic>> {
        let config = Config::load(&self.root)?;
        let mut store = self.parse_store.take();
        let ((sources, mut problems), stored) = rayon::join(
            || Sources::load_all(&self.root, &config),
            || KeptParses::read(&mut store),
        );
        self.parse_store = store;
        problems.extend(sources.warnings());
        self.sources = sources;
        self.start_from_stored(stored);
        self.config = Some(config.clone());
        let parsed = self.parse_stages(&config, None);
        problems.extend(parsed.problems);
        let unparsed = self.content.unparsed(&self.sources);
        Ok(Inspection {
            config,
            locales: parsed.locales,
            pages: parsed.pages.to_vec(),
            homes: parsed.homes,
            unparsed,
            problems,
        })
    }

    /// The interface strings and the theme (compiled with them), reused while none of their
    /// files changed.
    fn interface(
        &mut self,
        config: &Config,
        problems: &mut Vec<Diagnostic>,
    ) -> (Arc<Locales>, Option<Arc<Theme>>) {
        let mut key = DigestHasher::default();
        key.add(&config.languages);
        let files = self.sources.of_kind(|kind| {
            matches!(
                kind,
                SourceKind::Locale { .. } | SourceKind::Template { .. }
            )
        });
        for file in files {
            key.add(&file.path).add(&file.digest);
        }
        let key = key.digest();
        if let Some((cached, locales, theme)) = &self.interface_cache
            && *cached == key
        {
            return (locales.clone(), Some(theme.clone()));
        }
        let (locales, found) = Locales::load_all(&config.languages, &self.sources);
        let locales = Arc::new(locales);
        let clean = found.is_empty();
        problems.extend(found);
        let theme = Theme::load(&self.sources, &config.theme, locales.clone())
            .map_err(|found| problems.extend(found))
            .ok()
            .map(Arc::new);
        self.interface_cache = match (&theme, clean) {
            (Some(theme), true) => Some((key, locales.clone(), theme.clone())),
            _ => None,
        };
        (locales, theme)
    }

    /// The parse stages: glossary, interface strings, theme and every page. `dirty` lists
    /// the paths that changed since the last run, when known.
    fn parse_stages(&mut self, config: &Config, dirty: Option<&[PathBuf]>) -> ParsedProject {
        let mut problems = Vec::new();
        let glossary = match self.sources.files.get(Path::new(GLOSSARY_FILE)) {
            Some(file) => {
                Glossary::parse(file.text.as_deref().unwrap_or_default(), &config.languages)
                    .unwrap_or_else(|found| {
                        problems.extend(found);
                        Glossary::default()
                    })
            }
            None => Glossary::default(),
        };
        let (locales, theme) = self.interface(config, &mut problems);
        let callouts: Vec<CalloutLabels> = config
            .languages
            .iter()
            .map(|lang| {
                CalloutLabels::from_lookup(|kind| {
                    locales.message(lang, &format!("callout-{kind}"), &[]).ok()
                })
            })
            .collect();
        let (pages, homes) = self.content.parse(
            &self.sources,
            &parse::ParseContext {
                root: &self.root,
                languages: &config.languages,
                glossary: &glossary,
                callouts: &callouts,
            },
            dirty,
            !self.single_run,
            &mut problems,
        );
        ParsedProject {
            glossary,
            locales,
            theme,
            pages,
            homes,
            problems,
        }
    }

    fn run_stages(
        &mut self,
        config: &Config,
        dirty: Option<&[PathBuf]>,
    ) -> Result<Site, Vec<Diagnostic>> {
        let mut clock = Instant::now();
        let ParsedProject {
            glossary,
            locales,
            theme,
            pages,
            homes,
            problems,
        } = self.parse_stages(config, dirty);
        let Some(theme) = theme.filter(|_| problems.is_empty()) else {
            return Err(problems);
        };
        self.lap("parse", &mut clock);

        let held = self.held_back(config, &pages);
        if self.single_run {
            self.sources.forget_page_texts();
        }
        self.lap("held back", &mut clock);
        let input = AssembleInput {
            languages: &config.languages,
            pages: &pages,
            homes: &homes,
            locales: &locales,
            drafts: self.options.drafts,
            link_style: self.options.link_style,
            unparsed: &[],
            held_back: &held,
        };
        // What the assembly keeps for a later run, a run that is the only one does without.
        let model = if self.single_run {
            crate::model::assemble(&input)
        } else {
            assemble_with_cache(&input, &mut self.assemble_cache)
        }?;
        self.lap("assemble", &mut clock);
        let base_url = self
            .options
            .base_url
            .clone()
            .unwrap_or_else(|| config.base_url.clone());
        let base_url = base_url.as_str();
        let menus = crate::menus::resolve(&config.menus, &model.translations)?;
        let logo = outputs::logo_file(&self.root, config)?;
        let view_options = ViewOptions {
            base_url,
            link_style: self.options.link_style,
            languages: &config.languages,
            menus: &menus,
            logo: logo.as_ref(),
            page_size: config.page_size,
        };
        let planner = Planner::new(&model, &glossary, &locales, &view_options);
        // The search indexes need the model only: they are made while the pages render.
        let search_deferred = self.search_deferred;
        let link_style = self.options.link_style;
        let (rendered, indexed) = rayon::join(
            || {
                let clock = Instant::now();
                let rendered = render_site(
                    &RenderInput {
                        planner: &planner,
                        theme: &theme,
                        locales: &locales,
                        languages: &config.languages,
                        options_key: digest_of(&(
                            base_url,
                            link_style,
                            &config.languages,
                            planner.chrome_digest(),
                            config.page_size,
                        )),
                        write_through: self.write_through.as_deref(),
                    },
                    &mut self.render_cache,
                );
                (rendered, clock.elapsed())
            },
            || {
                let clock = Instant::now();
                let indexes = (!search_deferred).then(|| {
                    crate::search::index_outputs(
                        &model,
                        link_style,
                        &mut self.search_cache,
                        &mut self.term_memos,
                    )
                });
                (indexes, clock.elapsed())
            },
        );
        let (rendered, render_time) = rendered;
        let rendered = rendered?;
        self.timings.push(("render", render_time));
        if let (Some(_), search_time) = &indexed {
            self.timings.push(("search index", *search_time));
        }
        clock = Instant::now();
        let revised =
            self.output_table
                .take_render(&self.render_cache, &rendered, &config.languages);
        let mut rest = self.copied_outputs(&model, &self.output_table, config)?;
        let robots = outputs::ROBOTS_FILE;
        if !self.output_table.generates(robots) && !rest.iter().any(|o| o.path == robots) {
            rest.push(outputs::robots_txt(base_url));
        }
        rest.extend(indexed.0.into_iter().flatten());
        self.lap("collect outputs", &mut clock);
        let table = self.output_table.finish(revised, rest);
        self.model = Some(Arc::new(model));
        Ok(Site {
            outputs: table.outputs,
            generation: table.generation,
            delta: table.delta,
            rendered: rendered.rendered,
            render_outputs: self.render_cache.len(),
            rendered_paths: rendered
                .rendered_paths
                .iter()
                .map(SitePath::output_file)
                .collect(),
            pages_per_language: table.per_language,
            html_pages: table.html_pages,
            unchanged_files: None,
            base_url: base_url.to_string(),
            duration: Duration::ZERO,
            warnings: held_back_warnings(&held, config.source_language()),
            timings: Vec::new(),
        })
    }

    /// The topics the publication rule of `config` holds back, from the pages of this run.
    /// Source digests are computed (and memoized) only when `require_current` asks.
    fn held_back(&mut self, config: &Config, pages: &[Arc<Page>]) -> HeldBack {
        let sources = &self.sources;
        let root = self.root.as_path();
        let last = std::mem::take(&mut self.page_source_digests);
        let mut next = std::collections::HashMap::with_capacity(last.len());
        let held = held_back_with_memo(
            &config.languages,
            pages,
            &config.translations,
            &mut self.held_back_memo,
            |translation, source| {
                let now = next
                    .entry(source.digest)
                    .or_insert_with(|| match last.get(&source.digest) {
                        Some(known) => known.clone(),
                        None => sources
                            .files
                            .get(&source.path)
                            .and_then(|file| file.text_or_read(root).ok())
                            .map(|text| crate::translation::source_digest(&text)),
                    })
                    .as_deref();
                match (&translation.source_digest, now) {
                    (None, _) => TranslationState::Untranslated,
                    (Some(recorded), Some(now)) if recorded.digest == now => {
                        TranslationState::Current
                    }
                    (Some(_), _) => TranslationState::Outdated,
                }
            },
        );
        // A run that redid a few topics asked for a few digests: the others stay known.
        let mut known = last;
        if known.len() > 2 * pages.len() {
            known.clear();
        }
        known.extend(next);
        self.page_source_digests = known;
        held
    }
}

/// What the parse stages made of the project.
struct ParsedProject {
    glossary: Glossary,
    locales: Arc<Locales>,
    theme: Option<Arc<Theme>>,
    /// Shared with the parse cache (see `ContentCache::parse`).
    pages: Arc<Vec<Arc<Page>>>,
    homes: Vec<Arc<HomeText>>,
    problems: Vec<Diagnostic>,
}
