//! Serve stage: the dev server's own pages (side by side, translations, build errors, the
//! held-back banner) as Tera templates embedded in the binary, their words in embedded Fluent
//! tables, one per language (English when the page's language has none), escaped by Tera like
//! every page of the site.

use std::sync::{Arc, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use tera::{Context, Kwargs, State, Tera, TeraResult};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("pages/base.html")),
    ("side_by_side.html", include_str!("pages/side_by_side.html")),
    ("translations.html", include_str!("pages/translations.html")),
    ("error.html", include_str!("pages/error.html")),
    ("banner.html", include_str!("pages/banner.html")),
];

const TABLES: &[(&str, &str)] = &[
    ("en", include_str!("pages/en.ftl")),
    ("fr", include_str!("pages/fr.ftl")),
];

/// The language of the pages when the site's has no table.
pub const FALLBACK: &str = "en";

/// The Fluent tables, by language.
struct Words {
    bundles: Vec<(&'static str, FluentBundle<FluentResource>)>,
}

impl Words {
    fn load() -> Words {
        let bundles = TABLES
            .iter()
            .map(|(lang, text)| {
                let resource = FluentResource::try_new((*text).to_string())
                    .expect("the dev server's Fluent tables parse (tested)");
                let id = lang.parse().expect("a language tag");
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // The pages are HTML: no invisible isolation marks around arguments.
                bundle.set_use_isolating(false);
                bundle
                    .add_resource(resource)
                    .expect("no message defined twice (tested)");
                (*lang, bundle)
            })
            .collect();
        Words { bundles }
    }

    fn message(&self, lang: &str, key: &str, args: &FluentArgs<'_>) -> Result<String, String> {
        let (_, bundle) = self
            .bundles
            .iter()
            .find(|(known, _)| *known == lang)
            .or_else(|| self.bundles.iter().find(|(known, _)| *known == FALLBACK))
            .ok_or("no Fluent table")?;
        let pattern = bundle
            .get_message(key)
            .and_then(|message| message.value())
            .ok_or_else(|| format!("no message \"{key}\" in the dev server's \"{lang}\" table"))?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(args), &mut errors);
        match errors.first() {
            Some(error) => Err(format!("message \"{key}\": {error}")),
            None => Ok(text.into_owned()),
        }
    }
}

/// The language the pages are written in for a page about `lang`.
pub fn page_language(lang: &str) -> &'static str {
    TABLES
        .iter()
        .map(|(known, _)| *known)
        .find(|known| *known == lang)
        .unwrap_or(FALLBACK)
}

fn tera() -> &'static Tera {
    static TERA: OnceLock<Tera> = OnceLock::new();
    TERA.get_or_init(|| {
        let words = Arc::new(Words::load());
        let mut tera = Tera::new();
        // t(key="…", any=args…): a message in the page's language (`lang` of the context).
        tera.register_function(
            "t",
            move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
                let key: String = kwargs.must_get("key")?;
                let lang: String = state.get::<String>("lang")?.unwrap_or_default();
                let mut args = FluentArgs::new();
                for (name, value) in kwargs.iter() {
                    let Some(name) = name.as_str() else { continue };
                    if name == "key" {
                        continue;
                    }
                    let value = match (value.as_f64(), value.as_str()) {
                        (Some(number), _) => FluentValue::from(number),
                        (None, Some(text)) => FluentValue::from(text.to_string()),
                        _ => FluentValue::from(value.to_string()),
                    };
                    args.set(name.to_string(), value);
                }
                words
                    .message(page_language(&lang), &key, &args)
                    .map_err(tera::Error::message)
            },
        );
        tera.add_raw_templates(TEMPLATES.iter().copied())
            .expect("the dev server's templates parse (tested)");
        tera
    })
}

/// Renders one of the pages; `context` must hold `lang`. A failure (a bug of the embedded
/// templates, which the tests render) is shown as the page.
pub fn render(template: &str, context: &Context) -> String {
    tera().render(template, context).unwrap_or_else(|error| {
        let mut failure = Context::new();
        failure.insert("message", &format!("{error:?}"));
        tera()
            .render_str(
                "<!DOCTYPE html>\n<pre>{{ message }}</pre>\n",
                &failure,
                true,
            )
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_every_message_of_the_english_one() {
        let words = Words::load();
        let english = FluentResource::try_new(TABLES[0].1.to_string()).unwrap();
        for entry in english.entries() {
            if let fluent_syntax::ast::Entry::Message(message) = entry {
                for (lang, bundle) in &words.bundles {
                    assert!(
                        bundle.has_message(message.id.name),
                        "{lang} lacks {}",
                        message.id.name
                    );
                }
            }
        }
    }

    #[test]
    fn text_is_escaped_and_words_follow_the_page_language() {
        let mut context = Context::new();
        context.insert("lang", "fr");
        context.insert("errors", &["<script>alert(1)</script>"]);
        let html = render("error.html", &context);
        assert!(
            html.contains("<pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>"),
            "{html}"
        );
        assert!(html.contains("Le site n’a pas pu être construit"), "{html}");
        context.insert("lang", "de");
        assert!(render("error.html", &context).contains("The site could not be built"));
    }
}
