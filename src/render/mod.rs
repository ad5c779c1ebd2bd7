//! Render stage: view structs → bytes, in parallel, re-rendering only the outputs whose
//! inputs (view, template, locale tables) have a digest not seen before.

pub mod json_ld;
mod record;
pub mod template_errors;
pub mod theme;
pub mod views;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::i18n::Locales;
use crate::output::{Content, WriteThrough};
use crate::source::{Digest, DigestHasher, digest_bytes};
use crate::urls::SitePath;
use theme::Theme;
use views::{Job, JobKind, Planner};

pub use record::RecordedRender;
use record::Stored;

/// Outputs rendered by the last run, with the digests that say when they can be reused; in
/// the order of its jobs, so that a run with the same jobs finds them without a lookup.
#[derive(Debug, Default, Clone)]
pub struct RenderCache {
    kinds: Vec<JobKind>,
    outputs: Outputs,
    /// The model revision the outputs were rendered from, with the digest of what every
    /// key reads besides the model (`run_context`): a model patched from that revision in
    /// the same context keeps the keys of the outputs its patch does not reach.
    made_from: Option<(u64, Digest)>,
    /// Counts the renders of this cache (0: none yet), so that what mirrors its outputs
    /// knows whether a `Revised` applies to it.
    generation: u64,
}

#[derive(Debug, Clone)]
struct Cached {
    /// Digest of the model parts, template and locale tables the view is made from.
    key: Digest,
    /// Digest of the view itself (and template and locale tables): what the render reads.
    view: Digest,
    /// In memory, or (from the output folder's record) still in the last build's file.
    bytes: Stored,
    /// Digest of `bytes`.
    digest: Digest,
}

/// One output of the last render, as the write stage reads it.
#[derive(Debug, Clone, Copy)]
pub struct RenderedPage<'a> {
    pub path: &'a SitePath,
    stored: &'a Stored,
    pub digest: Digest,
    pub is_html: bool,
}

/// What one render did; its outputs are the cache's (`RenderCache::pages`).
#[derive(Debug, Clone)]
pub struct RenderResult {
    pub rendered: usize,
    /// Paths of the outputs rendered anew, for tests and the live reload.
    pub rendered_paths: Vec<SitePath>,
    /// When the outputs are those of render `since` of the same cache, with the same paths
    /// in the same order, and only the outputs at `indices` were worked out again.
    pub revised: Option<Revised>,
    /// This render's number in its cache: the next one may be `revised` since it.
    pub generation: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revised {
    pub since: u64,
    pub indices: Vec<usize>,
}

impl RenderedPage<'_> {
    /// Its bytes, or where they were written.
    pub fn content(&self) -> Content {
        self.stored.content()
    }
}

impl RenderCache {
    /// How many outputs the last render gave.
    pub fn len(&self) -> usize {
        self.outputs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.outputs.is_empty()
    }

    /// The output at `index` of the last render.
    pub fn page(&self, index: usize) -> RenderedPage<'_> {
        let (path, cached) = &self.outputs[index];
        RenderedPage {
            path,
            stored: &cached.bytes,
            digest: cached.digest,
            is_html: self.kinds[index].template().ends_with(".html"),
        }
    }

    /// Every output of the last render, in order.
    pub fn pages(&self) -> impl Iterator<Item = RenderedPage<'_>> {
        (0..self.outputs.len()).map(|index| self.page(index))
    }
}

/// What every key of a run reads besides the model: options and locale tables (`shared`),
/// the templates and the site's newest date.
fn run_context(shared: Digest, input: &RenderInput<'_>) -> Digest {
    let mut digest = DigestHasher::default();
    digest
        .add(&shared)
        .add(&input.theme.fingerprint())
        .add(&input.planner.newest());
    digest.digest()
}

/// Everything one render reads: the view, its template (with what it includes) and the
/// locale tables.
fn view_digest(job: &Job, theme: &Theme, locales: &Locales) -> Digest {
    let mut digest = DigestHasher::default();
    digest
        .add(job.path.as_str())
        .add(job.template)
        .add(&theme.digest(job.template));
    for lang in &job.languages {
        digest.add(&locales.digest(lang));
    }
    // The view's own `Hash`: every field, strings as their bytes (cheaper than JSON, which
    // escapes every character of a page's body).
    digest.add(&locales.digest(&job.view.lang)).add(&job.view);
    digest.digest()
}

/// What every render of a run shares: the options the views are made with and every
/// language's tables (pages name the other languages in their own words).
fn shared_key(options_key: Digest, locales: &Locales, languages: &[String]) -> Digest {
    let mut key = DigestHasher::default();
    key.add(&options_key);
    for lang in languages {
        key.add(&locales.digest(lang));
    }
    key.digest()
}

pub struct RenderInput<'a> {
    pub planner: &'a Planner<'a>,
    pub theme: &'a Theme,
    pub locales: &'a Locales,
    pub languages: &'a [String],
    /// Digest of the options the planner makes views with.
    pub options_key: Digest,
    /// Where each output rendered anew is written at once, when the build stages its site
    /// whole: the render then keeps where it is, not its bytes.
    pub write_through: Option<&'a WriteThrough>,
}

/// Renders every output of the site. An output whose inputs have the digest of its last
/// render is reused without building its view; one whose view is unchanged is reused
/// without rendering. When the model is a patch of the one the cache was rendered from, only
/// the outputs the patch reaches are looked at: the others stay in place.
pub fn render_site(
    input: &RenderInput<'_>,
    cache: &mut RenderCache,
) -> Result<RenderResult, Vec<Diagnostic>> {
    let shared = shared_key(input.options_key, input.locales, input.languages);
    let context = run_context(shared, input);
    let kinds = input.planner.jobs();
    let aligned = !cache.outputs.is_empty() && cache.kinds == kinds;
    // Keys are worked out again only where a patch of the last model reaches.
    let reach = input
        .planner
        .patch_reach()
        .filter(|(base, _)| aligned && cache.made_from == Some((*base, context)))
        .map(|(_, reach)| reach);
    let since = cache.generation;
    let (outputs, rendered_paths, revised) = match reach {
        Some(reach) => {
            let indices: Vec<usize> = (0..kinds.len())
                .filter(|index| reach.reaches(kinds[*index]))
                .collect();
            if verify_reuse() {
                verify_unreached(&kinds, &indices, &cache.outputs, input, shared);
            }
            let revisions = render_at(&kinds, &indices, &cache.outputs, input, shared)?;
            let mut outputs = std::mem::take(&mut cache.outputs);
            let mut rendered_paths = Vec::new();
            for (index, (path, cached, rendered_now)) in indices.iter().zip(revisions) {
                if rendered_now {
                    rendered_paths.push(path.clone());
                }
                outputs[*index] = (path, cached);
            }
            (outputs, rendered_paths, Some(Revised { since, indices }))
        }
        None => {
            let (outputs, rendered_paths) = render_all(&kinds, cache, aligned, input, shared)?;
            (outputs, rendered_paths, None)
        }
    };
    *cache = RenderCache {
        kinds,
        outputs,
        made_from: Some((input.planner.model_revision(), context)),
        generation: since + 1,
    };
    Ok(RenderResult {
        rendered: rendered_paths.len(),
        rendered_paths,
        revised,
        generation: since + 1,
    })
}

/// A render's outputs, in the order of its jobs.
type Outputs = Vec<(SitePath, Cached)>;

/// One output worked out: its path, its entry, and whether it was rendered anew.
type Worked = Result<(SitePath, Cached, bool), Diagnostic>;

/// Every output anew (reusing the last render's by path where its digests allow).
fn render_all(
    kinds: &[JobKind],
    last: &RenderCache,
    aligned: bool,
    input: &RenderInput<'_>,
    shared: Digest,
) -> Result<(Outputs, Vec<SitePath>), Vec<Diagnostic>> {
    let by_path: HashMap<&SitePath, usize> = if aligned {
        HashMap::new()
    } else {
        let paths = last.outputs.iter().enumerate();
        paths.map(|(index, (path, _))| (path, index)).collect()
    };
    // The outputs listing many topics (sitemaps, lists, feeds) first: one of them can take
    // as long as thousands of topic pages, and last in line it would leave a core idle.
    let mut order: Vec<usize> = (0..kinds.len()).collect();
    order.sort_by_key(|index| kinds[*index].shows_one_topic());
    let mut results: Vec<(usize, Worked)> = order
        .into_par_iter()
        .map(|index| {
            let kind = kinds[index];
            let path = input.planner.path(kind);
            let previous = match last.outputs.get(index) {
                Some((old_path, cached)) if aligned && *old_path == path => Some(cached),
                _ => by_path.get(&path).map(|at| &last.outputs[*at].1),
            };
            (index, render_kind(kind, path, previous, input, shared))
        })
        .collect();
    results.sort_unstable_by_key(|(index, _)| *index);
    let mut problems = Vec::new();
    let mut rendered_paths = Vec::new();
    let mut outputs = Vec::with_capacity(results.len());
    for (_, result) in results {
        match result {
            Ok((path, cached, rendered_now)) => {
                if rendered_now {
                    rendered_paths.push(path.clone());
                }
                outputs.push((path, cached));
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok((outputs, rendered_paths))
    } else {
        Err(merge_repeated(problems))
    }
}

/// The outputs at `indices` worked out again, each from its entry in `outputs`.
fn render_at(
    kinds: &[JobKind],
    indices: &[usize],
    outputs: &[(SitePath, Cached)],
    input: &RenderInput<'_>,
    shared: Digest,
) -> Result<Vec<(SitePath, Cached, bool)>, Vec<Diagnostic>> {
    let results: Vec<Worked> = indices
        .par_iter()
        .map(|&index| {
            let kind = kinds[index];
            let path = input.planner.path(kind);
            let (old_path, previous) = &outputs[index];
            let previous = (*old_path == path).then_some(previous);
            render_kind(kind, path, previous, input, shared)
        })
        .collect();
    let mut done = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(worked) => done.push(worked),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(done)
    } else {
        Err(merge_repeated(problems))
    }
}

/// With `BRIEFING_VERIFY_REUSE`: every output a patch does not reach has its path and inputs
/// key, worked out anew, unchanged (the patch could not have changed what it reads), and
/// its view too (`render_kind` checks the view of what it reuses).
fn verify_unreached(
    kinds: &[JobKind],
    reached: &[usize],
    outputs: &[(SitePath, Cached)],
    input: &RenderInput<'_>,
    shared: Digest,
) {
    let reached: std::collections::HashSet<usize> = reached.iter().copied().collect();
    kinds.par_iter().enumerate().for_each(|(index, kind)| {
        if reached.contains(&index) {
            return;
        }
        let (old_path, cached) = &outputs[index];
        let path = input.planner.path(*kind);
        assert_eq!(
            &path,
            old_path,
            "a patch of the model moved {}",
            path.output_file()
        );
        assert_eq!(
            cached.key,
            inputs_key(*kind, &path, input, shared),
            "a patch of the model reached {} unseen",
            path.output_file()
        );
        let reused = render_kind(*kind, path, Some(cached), input, shared);
        assert!(reused.is_ok_and(|(_, _, rendered_now)| !rendered_now));
    });
}

/// Whether each reuse is checked against a render of the view (`BRIEFING_VERIFY_REUSE` set,
/// as the tests do): the inputs key must say everything the view reads. Off by default, as
/// it builds every view a warm run would skip.
fn verify_reuse() -> bool {
    static VERIFY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *VERIFY.get_or_init(|| std::env::var_os("BRIEFING_VERIFY_REUSE").is_some())
}

/// The digest of everything the output `kind` at `path` is made from.
fn inputs_key(kind: JobKind, path: &SitePath, input: &RenderInput<'_>, shared: Digest) -> Digest {
    let template = kind.template();
    let mut key = DigestHasher::default();
    key.add(&shared)
        .add(path)
        .add(template)
        .add(&input.theme.digest(template));
    input.planner.add_key(kind, &mut key);
    key.digest()
}

/// Renders one output, or reuses `previous`.
fn render_kind(
    kind: JobKind,
    path: SitePath,
    previous: Option<&Cached>,
    input: &RenderInput<'_>,
    shared: Digest,
) -> Worked {
    let key = inputs_key(kind, &path, input, shared);
    let same_inputs = previous.filter(|previous| previous.key == key);
    if let Some(previous) = same_inputs.and_then(Cached::loaded) {
        if verify_reuse() {
            // The key is a digest of what the view is made from: check it said everything.
            let job = input.planner.build(kind)?;
            assert_eq!(
                view_digest(&job, input.theme, input.locales),
                previous.view,
                "the inputs key of {} missed something its view reads",
                path.output_file()
            );
        }
        return Ok((path, previous, false));
    }
    let job = input.planner.build(kind)?;
    debug_assert_eq!(job.path, path);
    let view = view_digest(&job, input.theme, input.locales);
    let same_view = previous.filter(|previous| previous.view == view);
    if let Some(previous) = same_view.and_then(Cached::loaded) {
        let reused = Cached { key, ..previous };
        return Ok((path, reused, false));
    }
    // Kept as rendered while it is written through, copied into an `Arc` only when it is
    // kept in memory.
    let bytes = render_one(&job, input.theme)?;
    let digest = digest_bytes(&bytes);
    let bytes = match input.write_through {
        Some(through) => {
            let file = path.output_file();
            match through.place(&file, &bytes, digest) {
                Ok((path, linked)) => Stored::Placed {
                    path,
                    size: bytes.len() as u64,
                    linked,
                },
                Err(error) => {
                    return Err(Diagnostic::error(
                        "write-failed",
                        file.clone(),
                        format!("cannot write {file}: {error}"),
                    ));
                }
            }
        }
        None => Stored::Memory(bytes.into()),
    };
    let cached = Cached {
        key,
        view,
        digest,
        bytes,
    };
    Ok((path, cached, true))
}

/// One template error shows in every page using the template: report it once, saying how
/// many pages it stopped.
fn merge_repeated(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut merged: Vec<(Diagnostic, usize)> = Vec::new();
    for problem in problems {
        match merged.iter_mut().find(|(first, _)| {
            (&first.path, first.line, first.column, &first.message)
                == (
                    &problem.path,
                    problem.line,
                    problem.column,
                    &problem.message,
                )
        }) {
            Some((_, count)) => *count += 1,
            None => merged.push((problem, 1)),
        }
    }
    merged
        .into_iter()
        .map(|(mut diagnostic, count)| {
            if count > 1
                && let Some(help) = &mut diagnostic.help
            {
                help.push_str(&format!(", and {} other outputs", count - 1));
            }
            diagnostic
        })
        .collect()
}

fn render_one(job: &Job, theme: &Theme) -> Result<Vec<u8>, Diagnostic> {
    let context = tera::Context::from_serialize(&job.view).map_err(|error| {
        Diagnostic::error(
            "render",
            job.path.output_file(),
            format!("cannot pass the view to the template: {error}"),
        )
    })?;
    theme.render(job.template, &context).map_err(|error| {
        let diagnostic = error.into_diagnostic("template-render");
        let shown = match &job.source {
            Some(source) => format!("{} (from {})", job.path.output_file(), source.display()),
            None => job.path.output_file(),
        };
        diagnostic.with_help(format!(
            "while rendering {shown} in language \"{}\"",
            job.view.lang
        ))
    })
}
