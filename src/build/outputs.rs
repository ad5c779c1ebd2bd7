//! Write stage input: the outputs of a run, the rendered pages (kept from run to run in an
//! `OutputTable`) followed by theme static files, topic assets, the logo and robots.txt,
//! checked for paths written twice.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Pipeline;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::SiteModel;
use crate::output::{Content, Output};
use crate::render::{RenderCache, RenderResult};
use crate::source::SourceKind;

/// The outputs of the last run: first the render cache's, in its order, then the rest
/// (copied files, robots.txt, search indexes). A run whose render revised a few outputs of
/// the render this table mirrors replaces those entries only, so that a one-page edit costs
/// the same on a site of any size.
#[derive(Debug, Default)]
pub(super) struct OutputTable {
    outputs: Arc<Vec<Output>>,
    /// How many of `outputs` are rendered; the render cache's generation they mirror.
    rendered: usize,
    render_generation: u64,
    /// Paths of the rendered outputs, which no copied file may take.
    generated: HashSet<String>,
    html_pages: usize,
    per_language: Vec<(String, usize)>,
    /// This list's number (see `OutputDelta`), unique in the process.
    generation: u64,
    /// A run took a render but did not hand its list on (it failed after rendering): the
    /// next list differs from the last one handed on by more than its own render's changes.
    unfinished: bool,
}

/// How the outputs of a run differ from those of the same pipeline's run numbered `since`:
/// the same paths in the same places up to the rendered ones, and only the entries at
/// `indices` (and every one after the rendered ones) possibly changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputDelta {
    pub since: u64,
    pub indices: Vec<usize>,
}

/// What a run hands on of its table.
pub(super) struct TableView {
    pub outputs: Arc<Vec<Output>>,
    pub generation: u64,
    pub delta: Option<OutputDelta>,
    pub html_pages: usize,
    pub per_language: Vec<(String, usize)>,
}

fn next_generation() -> u64 {
    static GENERATIONS: AtomicU64 = AtomicU64::new(1);
    GENERATIONS.fetch_add(1, Ordering::Relaxed)
}

fn rendered_output(page: crate::render::RenderedPage<'_>) -> Output {
    Output {
        path: page.path.output_file(),
        content: page.content(),
        digest: page.digest,
    }
}

impl OutputTable {
    /// Brings the rendered entries up to the render just done: only the revised ones when
    /// this table mirrors the render they were revised from, all of them otherwise. Returns
    /// the indices replaced, or `None` when every entry was made anew.
    pub(super) fn take_render(
        &mut self,
        cache: &RenderCache,
        result: &RenderResult,
        languages: &[String],
    ) -> Option<Vec<usize>> {
        let revised = result.revised.as_ref().filter(|revised| {
            revised.since == self.render_generation && self.rendered == cache.len()
        });
        self.render_generation = result.generation;
        let handed_on_last = !std::mem::replace(&mut self.unfinished, true);
        let outputs = Arc::make_mut(&mut self.outputs);
        outputs.truncate(self.rendered);
        if let Some(revised) = revised {
            for &index in &revised.indices {
                outputs[index] = rendered_output(cache.page(index));
            }
            return Some(revised.indices.clone()).filter(|_| handed_on_last);
        }
        *outputs = cache.pages().map(rendered_output).collect();
        self.rendered = outputs.len();
        self.generated = outputs.iter().map(|output| output.path.clone()).collect();
        self.html_pages = cache.pages().filter(|page| page.is_html).count();
        self.per_language = languages
            .iter()
            .map(|lang| {
                let in_language = |page: &crate::render::RenderedPage<'_>| {
                    page.is_html
                        && page
                            .path
                            .as_str()
                            .strip_prefix(lang.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                };
                (lang.clone(), cache.pages().filter(in_language).count())
            })
            .collect();
        None
    }

    /// Whether a rendered output has this path.
    pub(super) fn generates(&self, path: &str) -> bool {
        self.generated.contains(path)
    }

    /// Ends the run's list with `rest` (the outputs besides the rendered ones) and hands it
    /// on, with how it differs from the last list handed on when `revised` says so.
    pub(super) fn finish(&mut self, revised: Option<Vec<usize>>, rest: Vec<Output>) -> TableView {
        let outputs = Arc::make_mut(&mut self.outputs);
        outputs.truncate(self.rendered);
        outputs.extend(rest);
        let since = self.generation;
        self.generation = next_generation();
        self.unfinished = false;
        let delta = revised.map(|mut indices| {
            indices.extend(self.rendered..outputs.len());
            OutputDelta { since, indices }
        });
        TableView {
            outputs: self.outputs.clone(),
            generation: self.generation,
            delta,
            html_pages: self.html_pages,
            per_language: self.per_language.clone(),
        }
    }
}

impl Pipeline {
    /// Theme static files, topic assets and the logo, checked for clashing paths (with each
    /// other and with the rendered outputs of `table`).
    pub(super) fn copied_outputs(
        &self,
        model: &SiteModel,
        table: &OutputTable,
        config: &Config,
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let mut copies = Vec::new();
        let logo = config.logo.as_ref().map(|logo| {
            let path = PathBuf::from(&logo.value);
            let digest = std::fs::read(self.root.join(&path))
                .map(|bytes| crate::source::digest_bytes(&bytes))
                .unwrap_or_default();
            (crate::identity::logo_output_name(&logo.value), path, digest)
        });
        let logo_file = logo
            .as_ref()
            .map(|(output, path, digest)| crate::source::SourceFile {
                path: path.clone(),
                kind: SourceKind::Static {
                    relative: output.clone(),
                },
                text: None,
                digest: *digest,
            });
        if let Some(file) = &logo_file {
            copies.push((
                crate::identity::logo_output_name(&file.path.to_string_lossy()),
                file,
            ));
        }
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
            let clash = if table.generates(&path) {
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
            Ok(copied)
        } else {
            Err(problems)
        }
    }
}

pub(super) const ROBOTS_FILE: &str = "robots.txt";

/// `robots.txt` naming the sitemap (a theme's own `static/robots.txt` replaces it).
pub(super) fn robots_txt(base_url: &str) -> Output {
    let text = format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n");
    Output::from_bytes(ROBOTS_FILE, text.into_bytes())
}

/// The logo of briefing.toml as the site serves it, measured.
pub(super) fn logo_file(
    root: &Path,
    config: &Config,
) -> Result<Option<crate::render::views::LogoFile>, Vec<Diagnostic>> {
    let Some(logo) = &config.logo else {
        return Ok(None);
    };
    let Some((width, height)) = crate::identity::image_size(&root.join(&logo.value)) else {
        return Err(vec![logo.error(
            "config-invalid",
            format!("logo \"{}\" is not a readable SVG or PNG image", logo.value),
        )]);
    };
    Ok(Some(crate::render::views::LogoFile {
        output: crate::identity::logo_output_name(&logo.value),
        width,
        height,
    }))
}
