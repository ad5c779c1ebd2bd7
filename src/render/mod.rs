//! Render stage: view structs → bytes, in parallel, re-rendering only the outputs whose
//! inputs (view, template, locale tables) have a digest not seen before.

pub mod theme;
pub mod views;

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::i18n::Locales;
use crate::source::{Digest, digest_bytes};
use crate::urls::SitePath;
use theme::Theme;
use views::Job;

/// Outputs rendered by earlier runs, by the digest of everything their render read.
#[derive(Debug, Default, Clone)]
pub struct RenderCache {
    rendered: HashMap<SitePath, (Digest, Arc<[u8]>)>,
}

#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub path: SitePath,
    pub bytes: Arc<[u8]>,
    pub digest: Digest,
    pub lang: String,
    pub is_html: bool,
}

/// The result of one render: every page, and how many were rendered anew.
#[derive(Debug, Clone)]
pub struct RenderResult {
    pub pages: Vec<RenderedPage>,
    pub rendered: usize,
    /// Paths of the outputs rendered anew, for tests and the live reload.
    pub rendered_paths: Vec<SitePath>,
}

/// Hashes bytes as they are written, so that a view is digested without being stored.
struct DigestWriter(blake3::Hasher);

impl Write for DigestWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn input_digest(job: &Job, theme: &Theme, locales: &Locales) -> Digest {
    let mut writer = DigestWriter(blake3::Hasher::new());
    writer.0.update(job.path.as_str().as_bytes());
    writer.0.update(job.template.as_bytes());
    writer.0.update(&theme.digest(job.template));
    for lang in &job.languages {
        writer.0.update(&locales.digest(lang));
    }
    writer.0.update(&locales.digest(&job.view.lang));
    serde_json::to_writer(&mut writer, &job.view).expect("views serialize");
    *writer.0.finalize().as_bytes()
}

pub fn render_jobs(
    jobs: &[Job],
    theme: &Theme,
    locales: &Locales,
    cache: &mut RenderCache,
) -> Result<RenderResult, Vec<Diagnostic>> {
    let results: Vec<Result<(RenderedPage, Digest, bool), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let inputs = input_digest(job, theme, locales);
            let lang = job.view.lang.clone();
            let is_html = job.template.ends_with(".html");
            if let Some((digest, bytes)) =
                cache.rendered.get(&job.path).filter(|(d, _)| *d == inputs)
            {
                let page = RenderedPage {
                    path: job.path.clone(),
                    digest: digest_bytes(bytes),
                    bytes: bytes.clone(),
                    lang,
                    is_html,
                };
                return Ok((page, *digest, false));
            }
            let bytes: Arc<[u8]> = render_one(job, theme)?.into_bytes().into();
            let page = RenderedPage {
                path: job.path.clone(),
                digest: digest_bytes(&bytes),
                bytes,
                lang,
                is_html,
            };
            Ok((page, inputs, true))
        })
        .collect();
    let mut problems = Vec::new();
    let mut pages = Vec::with_capacity(results.len());
    let mut rendered_paths = Vec::new();
    let mut fresh = HashMap::with_capacity(results.len());
    for result in results {
        match result {
            Ok((page, inputs, rendered_now)) => {
                if rendered_now {
                    rendered_paths.push(page.path.clone());
                }
                fresh.insert(page.path.clone(), (inputs, page.bytes.clone()));
                pages.push(page);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(merge_repeated(problems));
    }
    cache.rendered = fresh;
    Ok(RenderResult {
        rendered: rendered_paths.len(),
        rendered_paths,
        pages,
    })
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

fn render_one(job: &Job, theme: &Theme) -> Result<String, Diagnostic> {
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
