//! Render stage: the theme's Tera templates, compiled once per build, with the `t()` lookup
//! function bound to the site's Fluent bundles. Tera stays behind this module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::diagnostic::Diagnostic;
use crate::i18n::{Arg, Locales};
use crate::source::{Digest, SourceKind, Sources};

pub use super::template_errors::RenderError;
use super::template_errors::{TemplateFiles, convert_error};

/// The templates every theme provides.
pub const REQUIRED_TEMPLATES: [&str; 11] = [
    "index.html",
    "home.html",
    "topic.html",
    "tags.html",
    "tag.html",
    "timeline.html",
    "glossary.html",
    "search.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
];

pub struct Theme {
    tera: Tera,
    /// Template name → digest of its text and of every template it extends or includes.
    digests: BTreeMap<String, Digest>,
    /// Digest of `digests`: of every template.
    fingerprint: Digest,
    /// Template name → its path in the project, for diagnostics.
    paths: BTreeMap<String, PathBuf>,
    /// Template name → its text, to quote the line of a render error.
    texts: BTreeMap<String, String>,
    /// `themes/<theme>/templates`.
    folder: PathBuf,
    /// Template name → the largest output it has rendered: the next render's buffer starts
    /// that size, so that a page is not copied as its buffer grows (from the template's
    /// own size, a few KiB, to a page's 15–30 at 5,000 topics).
    output_sizes: BTreeMap<String, AtomicUsize>,
}

impl Theme {
    /// Compiles the templates of theme `theme` (the folder `themes/<theme>`).
    pub fn load(
        sources: &Sources,
        theme: &str,
        locales: Arc<Locales>,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let mut problems = Vec::new();
        let mut texts = BTreeMap::new();
        let mut paths = BTreeMap::new();
        for file in sources.of_kind(|kind| matches!(kind, SourceKind::Template { .. })) {
            let SourceKind::Template { name } = &file.kind else {
                continue;
            };
            let text = file.text.as_deref().unwrap_or_default();
            texts.insert(name.clone(), text.to_string());
            paths.insert(name.clone(), file.path.clone());
        }
        let folder = Path::new("themes").join(theme).join("templates");
        for required in REQUIRED_TEMPLATES {
            if !texts.contains_key(required) {
                problems.push(Diagnostic::error(
                    "template-missing",
                    folder.join(required),
                    format!("the theme has no template \"{required}\""),
                ));
            }
        }
        register_functions(&mut tera, locales);
        if let Err(error) =
            tera.add_raw_templates(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            let files = TemplateFiles {
                folder: &folder,
                paths: &paths,
                texts: &texts,
            };
            problems.extend(
                convert_error(&error, &files)
                    .into_iter()
                    .map(|error| error.into_diagnostic("template-syntax")),
            );
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let digests = template_digests(&texts);
        let output_sizes = texts
            .keys()
            .map(|name| (name.clone(), AtomicUsize::new(0)))
            .collect();
        Ok(Theme {
            output_sizes,
            tera,
            fingerprint: crate::source::digest_of(&digests),
            digests,
            paths,
            texts,
            folder,
        })
    }

    /// The digest of a template and everything it pulls in.
    pub fn digest(&self, template: &str) -> Digest {
        self.digests
            .get(template)
            .copied()
            .unwrap_or(crate::source::NO_DIGEST)
    }

    /// The digest of every template of the theme.
    pub fn fingerprint(&self) -> Digest {
        self.fingerprint
    }

    /// The bytes `template` renders with `context` (UTF-8, as Tera writes only strings).
    pub fn render(&self, template: &str, context: &Context) -> Result<Vec<u8>, RenderError> {
        let largest = self.output_sizes.get(template);
        let mut output = Vec::with_capacity(largest.map_or(0, |size| size.load(Ordering::Relaxed)));
        let rendered = self.tera.render_to(template, context, &mut output);
        if let Some(largest) = largest {
            largest.fetch_max(output.len(), Ordering::Relaxed);
        }
        rendered.map(|()| output).map_err(|error| {
            let files = TemplateFiles {
                folder: &self.folder,
                paths: &self.paths,
                texts: &self.texts,
            };
            // Rendering stops at its first error: there is one.
            convert_error(&error, &files)
                .into_iter()
                .next()
                .unwrap_or_else(|| RenderError {
                    template_path: self.folder.join(template),
                    line: None,
                    column: None,
                    message: error.to_string(),
                    template_text: None,
                })
        })
    }
}

fn register_functions(tera: &mut Tera, locales: Arc<Locales>) {
    // t(key="…", lang="…"?, any=args…): a Fluent message in the page's language.
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
            // Borrowed from the call: a page makes some forty of these.
            let key: &str = kwargs.must_get("key")?;
            let lang: String = match kwargs.get::<&str>("lang")? {
                Some(lang) => lang.to_string(),
                None => state
                    .get::<String>("lang")?
                    .ok_or_else(|| tera::Error::message("t(): no `lang` in the page's context"))?,
            };
            let mut args = Vec::new();
            for (name, value) in kwargs.iter() {
                let Some(name) = name.as_str() else { continue };
                if name == "key" || name == "lang" {
                    continue;
                }
                let arg = match (value.as_f64(), value.as_str()) {
                    (Some(number), _) => Arg::Number(number),
                    (None, Some(text)) => Arg::Text(text.to_string()),
                    _ => Arg::Text(value.to_string()),
                };
                args.push((name, arg));
            }
            locales
                .message(&lang, key, &args)
                .map_err(|error| tera::Error::message(error.to_string()))
        },
    );
}

/// For each template, a digest of its text and of the texts of every template it reaches
/// through `extends`, `include` and `import`.
fn template_digests(texts: &BTreeMap<String, String>) -> BTreeMap<String, Digest> {
    let references: BTreeMap<&str, Vec<String>> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), referenced_templates(text)))
        .collect();
    texts
        .keys()
        .map(|name| {
            let mut reached = BTreeSet::new();
            let mut pending = vec![name.clone()];
            while let Some(next) = pending.pop() {
                if reached.insert(next.clone())
                    && let Some(children) = references.get(next.as_str())
                {
                    pending.extend(children.iter().cloned());
                }
            }
            let mut hasher = crate::source::DigestHasher::default();
            for template in &reached {
                hasher.add_bytes(template.as_bytes());
                hasher.add_bytes(texts.get(template).map_or(&b""[..], |t| t.as_bytes()));
            }
            (name.clone(), hasher.digest())
        })
        .collect()
}

fn referenced_templates(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for keyword in ["extends", "include", "import"] {
        let mut rest = text;
        while let Some(at) = rest.find(keyword) {
            rest = &rest[at + keyword.len()..];
            let trimmed = rest.trim_start();
            if let Some(quote) = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'')
                && let Some(end) = trimmed[1..].find(quote)
            {
                found.push(trimmed[1..1 + end].to_string());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_digest_covers_what_it_extends() {
        let mut texts = BTreeMap::new();
        texts.insert(
            "base.html".to_string(),
            "<main>{% block main %}{% endblock %}</main>".to_string(),
        );
        texts.insert(
            "topic.html".to_string(),
            "{% extends \"base.html\" %}".to_string(),
        );
        texts.insert(
            "tag.html".to_string(),
            "{% extends \"base.html\" %}x".to_string(),
        );
        let before = template_digests(&texts);
        texts.insert("base.html".to_string(), "<main>changed</main>".to_string());
        let after = template_digests(&texts);
        assert_ne!(before["topic.html"], after["topic.html"]);
        texts.insert(
            "tag.html".to_string(),
            "{% extends \"base.html\" %}y".to_string(),
        );
        let again = template_digests(&texts);
        assert_eq!(after["topic.html"], again["topic.html"]);
    }
}
