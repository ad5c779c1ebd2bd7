//! Serve stage: the banner over the pages of a topic that `[translations] publish =
//! "together"` holds back. The dev server shows drafts, so the page is there; the banner says
//! why `briefing build` would publish it in no language.

use tera::Context;

use super::pages::{page_language, render};
use super::state::ServedSite;

/// The banner for the served file `key` ("en/cyber/index.html"), in the page's language, or
/// "" when its topic is published.
pub fn banner(served: &ServedSite, key: &str) -> String {
    let Some(model) = served.model.as_deref() else {
        return String::new();
    };
    for (topic, holds) in model.held_back.iter() {
        let Some(pages) = model.translations.get(topic) else {
            continue;
        };
        let page_lang = pages
            .iter()
            .find(|(_, path)| format!("{}index.html", path.as_str()) == key)
            .map(|(lang, _)| lang);
        if let Some(lang) = page_lang {
            let mut context = Context::new();
            context.insert("lang", page_language(lang));
            context.insert("holds", holds);
            return render("banner.html", &context);
        }
    }
    String::new()
}
