//! Serve stage: the banner over the pages of a topic that `[translations] publish =
//! "together"` holds back. The dev server shows drafts, so the page is there; the banner says
//! why `briefing build` would publish it in no language.

use super::http::escape_attribute;
use super::state::ServedSite;
use crate::model::held_back::reasons;

/// The banner for the served file `key` ("en/cyber/index.html"), or "" when its topic is
/// published.
pub fn banner(served: &ServedSite, key: &str) -> String {
    let Some(model) = served.model.as_deref() else {
        return String::new();
    };
    for (topic, holds) in model.held_back.iter() {
        let Some(pages) = model.translations.get(topic) else {
            continue;
        };
        if pages
            .values()
            .any(|path| format!("{}index.html", path.as_str()) == key)
        {
            return format!(
                "<div class=\"briefing-held-back\" role=\"status\" style=\"{STYLE}\">\
                 Not published by <code>briefing build</code>: {}.</div>\n",
                escape_attribute(&reasons(holds))
            );
        }
    }
    String::new()
}

const STYLE: &str = "position:fixed;top:0;left:0;right:0;z-index:2147483647;\
padding:.5rem 1rem;background:#fff4d6;color:#4a3500;border-bottom:2px solid #d9a400;\
font:14px/1.4 system-ui,sans-serif";
