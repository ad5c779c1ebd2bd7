//! One run of the pipeline: load → parse → assemble → render → outputs, with a cache that
//! lets `serve` rerun it over a change set and redo only what the change touches.

use crate::output::record::OutputRecord;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod parse;

use crate::config::{CONFIG_FILE, Config};
use crate::content::glossary::{GLOSSARY_FILE, Glossary};
use crate::content::page::{HomeText, Page};
use crate::diagnostic::{Diagnostic, sort_diagnostics};
use crate::i18n::Locales;
use crate::model::{AssembleCache, AssembleInput, SiteModel, assemble_with_cache};
use crate::output::{Content, Output};
use crate::render::theme::Theme;
use crate::render::views::{Planner, ViewOptions};
use crate::render::{RenderCache, RenderInput, render_site};
use crate::search::IndexCache;
use crate::source::{Digest, DigestHasher, SourceKind, Sources, digest_of};
use crate::urls::{LinkStyle, SitePath};
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
    pub outputs: Vec<Output>,
    /// How many outputs were rendered by this run (the others came from the cache).
    pub rendered: usize,
    /// How many outputs the render stage gave, rendered or reused (pages, feeds, sitemaps).
    pub render_outputs: usize,
    pub rendered_paths: Vec<String>,
    /// HTML pages per language, in the order of the configuration.
    pub pages_per_language: Vec<(String, usize)>,
    /// The address the site was built for (`base_url`, or the one that replaced it).
    pub base_url: String,
    pub duration: Duration,
    /// What was left out without failing the run (symbolic links), to be shown.
    pub warnings: Vec<Diagnostic>,
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
    search_cache: IndexCache,
    /// The interface strings and theme of the last run, by the digest of their files.
    interface_cache: Option<(Digest, Arc<Locales>, Arc<Theme>)>,
    /// Runs leave the search indexes to the caller (`serve` builds them on their own thread).
    search_deferred: bool,
    /// The caches the next full run starts from: the output folder's record.
    recorded: Option<(RenderCache, IndexCache)>,
    /// The last model assembled, for `serve` and `check`.
    pub model: Option<Arc<SiteModel>>,
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
            search_cache: IndexCache::default(),
            interface_cache: None,
            search_deferred: false,
            recorded: None,
            model: None,
        }
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
    pub fn start_from_record(&mut self, out_dir: &Path) {
        if let Some(record) = OutputRecord::read(out_dir) {
            self.recorded = Some((
                RenderCache::from_recorded(record.renders, out_dir),
                IndexCache::from_recorded(record.indexes, out_dir),
            ));
        }
    }

    /// What the next build into the same folder may start from (see `start_from_record`).
    pub fn output_record(&self) -> OutputRecord {
        OutputRecord {
            renders: self.render_cache.recorded(),
            indexes: self.search_cache.recorded(),
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
        let config_changed = self.config.as_ref() != Some(&config);
        let dirty = match changed {
            Some(paths)
                if !config_changed && !paths.iter().any(|p| p == Path::new(CONFIG_FILE)) =>
            {
                self.refresh_sources(&config, paths)?;
                Some(paths)
            }
            _ => {
                self.content = ContentCache::default();
                self.assemble_cache = AssembleCache::default();
                // A record's entries are reused by the digests of their inputs, as the
                // render cache's own are: they hold whatever the configuration.
                let (render, search) = self.recorded.take().unwrap_or_default();
                self.render_cache = render;
                self.search_cache = search;
                self.sources = Sources::load(&self.root, &config).map_err(BuildFailure::new)?;
                None
            }
        };
        self.config = Some(config.clone());
        let site = self.run_stages(&config, dirty).map_err(BuildFailure::new)?;
        Ok(Site {
            duration: started.elapsed(),
            warnings: self.sources.warnings(),
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
            // A removed folder takes its files with it.
            let gone: Vec<PathBuf> = self
                .sources
                .files
                .keys()
                .filter(|known| known.starts_with(path) && !self.root.join(known).exists())
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
        let (sources, mut problems) = Sources::load_all(&self.root, &config);
        problems.extend(sources.warnings());
        self.sources = sources;
        self.content = ContentCache::default();
        self.config = Some(config.clone());
        let parsed = self.parse_stages(&config, None);
        problems.extend(parsed.problems);
        let unparsed = self.content.unparsed(&self.sources);
        Ok(Inspection {
            config,
            locales: parsed.locales,
            pages: parsed.pages,
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
        let (pages, homes) = self.content.parse(
            &self.sources,
            &config.languages,
            &glossary,
            dirty,
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

        let model = assemble_with_cache(
            &AssembleInput {
                languages: &config.languages,
                pages: &pages,
                homes: &homes,
                locales: &locales,
                drafts: self.options.drafts,
                link_style: self.options.link_style,
                unparsed: &[],
            },
            &mut self.assemble_cache,
        )?;
        let base_url = self.options.base_url.as_deref().unwrap_or(&config.base_url);
        let view_options = ViewOptions {
            base_url,
            link_style: self.options.link_style,
            languages: &config.languages,
            page_size: config.page_size,
        };
        let planner = Planner::new(&model, &glossary, &locales, &view_options);
        let rendered = render_site(
            &RenderInput {
                planner: &planner,
                theme: &theme,
                locales: &locales,
                languages: &config.languages,
                options_key: digest_of(&(
                    base_url,
                    self.options.link_style,
                    &config.languages,
                    config.page_size,
                )),
            },
            &mut self.render_cache,
        )?;
        let mut outputs = self.collect_outputs(&model, &rendered.pages)?;
        if !self.search_deferred {
            outputs.extend(crate::search::index_outputs(
                &model,
                self.options.link_style,
                &mut self.search_cache,
            ));
        }
        let pages_per_language = config
            .languages
            .iter()
            .map(|lang| {
                let count = rendered
                    .pages
                    .iter()
                    .filter(|page| {
                        page.is_html
                            && page
                                .path
                                .as_str()
                                .strip_prefix(lang.as_str())
                                .is_some_and(|rest| rest.starts_with('/'))
                    })
                    .count();
                (lang.clone(), count)
            })
            .collect();
        self.model = Some(Arc::new(model));
        Ok(Site {
            outputs,
            rendered: rendered.rendered,
            render_outputs: rendered.pages.len(),
            rendered_paths: rendered
                .rendered_paths
                .iter()
                .map(SitePath::output_file)
                .collect(),
            pages_per_language,
            base_url: base_url.to_string(),
            duration: Duration::ZERO,
            warnings: Vec::new(),
        })
    }

    /// Rendered pages, theme static files and topic assets, checked for clashing paths.
    fn collect_outputs(
        &self,
        model: &SiteModel,
        rendered: &[crate::render::RenderedPage],
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let mut outputs: Vec<Output> = rendered
            .iter()
            .map(|page| Output {
                path: page.path.output_file(),
                content: Content::Bytes(page.bytes.clone()),
                digest: page.digest,
            })
            .collect();
        let generated: std::collections::HashSet<&str> =
            outputs.iter().map(|o| o.path.as_str()).collect();
        let mut copies = Vec::new();
        for file in self.sources.files.values() {
            match &file.kind {
                SourceKind::Static { relative } => copies.push((relative.clone(), file)),
                SourceKind::Asset { topic, relative } => {
                    for path in model
                        .translations
                        .get(topic)
                        .into_iter()
                        .flat_map(|p| p.values())
                    {
                        copies.push((format!("{}{relative}", path.as_str()), file));
                    }
                }
                _ => {}
            }
        }
        let mut problems = Vec::new();
        let mut origin: HashMap<String, &Path> = HashMap::new();
        let mut copied = Vec::new();
        for (path, file) in copies {
            let clash = if generated.contains(path.as_str()) {
                Some(format!("{path} is also a page the site generates"))
            } else {
                origin.get(&path).map(|other| {
                    format!(
                        "{path} would be written twice (also from {})",
                        other.display()
                    )
                })
            };
            if let Some(message) = clash {
                problems.push(Diagnostic::error("output-collision", &file.path, message));
                continue;
            }
            origin.insert(path.clone(), &file.path);
            copied.push(Output {
                path,
                content: Content::Copy(self.root.join(&file.path)),
                digest: file.digest,
            });
        }
        if problems.is_empty() {
            outputs.extend(copied);
            Ok(outputs)
        } else {
            Err(problems)
        }
    }
}

/// What the parse stages made of the project.
struct ParsedProject {
    glossary: Glossary,
    locales: Arc<Locales>,
    theme: Option<Arc<Theme>>,
    pages: Vec<Arc<Page>>,
    homes: Vec<Arc<HomeText>>,
    problems: Vec<Diagnostic>,
}
