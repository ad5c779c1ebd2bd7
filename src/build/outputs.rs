//! Write stage input: the outputs of a run besides the rendered pages (theme static files,
//! topic assets, the logo, robots.txt), checked for paths written twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Pipeline;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::SiteModel;
use crate::output::{Content, Output};
use crate::source::SourceKind;

impl Pipeline {
    /// Rendered pages, theme static files and topic assets, checked for clashing paths.
    pub(super) fn collect_outputs(
        &self,
        model: &SiteModel,
        rendered: &[crate::render::RenderedPage],
        config: &Config,
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
