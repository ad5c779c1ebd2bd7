//! Render stage, pagination: how a list of topics (home page, tag page) is cut into pages
//! of `page_size`, where each further page lives (`<list>/<url-page>/<n>/`), and the
//! `rel="prev"`/`"next"` links between them. The first page keeps the list's own address.

use serde::Serialize;

use super::Planner;
use crate::model::LanguageModel;
use crate::urls::SitePath;

/// How many pages a list of `items` takes: at least one, so that an empty list has its page.
pub fn page_count(items: usize, page_size: usize) -> usize {
    items.div_ceil(page_size.max(1)).max(1)
}

/// The items of page `page` (from 0).
pub fn page_range(items: usize, page_size: usize, page: usize) -> std::ops::Range<usize> {
    let size = page_size.max(1);
    let start = (page * size).min(items);
    start..(start + size).min(items)
}

/// Where page `page` (from 0) of the list at `first` lives: `first` itself for page 0, else
/// `<first>/<segment>/<page + 1>/`.
pub fn page_path(first: &SitePath, segment: &str, page: usize) -> SitePath {
    if page == 0 {
        return first.clone();
    }
    debug_assert!(first.is_folder());
    SitePath::file(format!("{}{segment}/{}/", first.as_str(), page + 1))
}

/// What a paginated page says about its place: `page.pagination` in the templates.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct Pagination {
    /// From 1.
    pub number: usize,
    pub count: usize,
    /// Relative links to the previous and next pages.
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Planner<'_> {
    /// Where page `number` of a list of `items` stands, with links to its neighbours; none
    /// while the list fits on one page.
    pub(super) fn pagination(
        &self,
        first: &SitePath,
        path: &SitePath,
        language: &LanguageModel,
        number: usize,
        items: usize,
    ) -> Option<Pagination> {
        let count = page_count(items, self.options.page_size);
        let link = |page: usize| {
            let target = page_path(first, &language.segments.page, page);
            self.href(path, &target)
        };
        (count > 1).then(|| Pagination {
            number: number + 1,
            count,
            prev: (number > 0).then(|| link(number - 1)),
            next: (number + 1 < count).then(|| link(number + 1)),
        })
    }

    pub(super) fn language_index(&self, language: &LanguageModel) -> usize {
        let index = self
            .model
            .languages
            .iter()
            .position(|l| l.lang == language.lang);
        index.expect("a language of the model")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_cut_into_full_pages_and_a_last_one() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_range(51, 50, 1), 50..51);
        assert_eq!(page_range(0, 50, 0), 0..0);
        let home = SitePath::folder(&["fr"]);
        assert_eq!(page_path(&home, "page", 0), home);
        assert_eq!(
            page_path(&home, "page", 2),
            SitePath::folder(&["fr", "page", "3"])
        );
    }
}
