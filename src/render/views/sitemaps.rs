//! Render stage, the sitemap: every HTML page of the site but the 404, with its alternates.
//! Up to `SITEMAP_URLS` pages it is one `sitemap.xml`; beyond, `sitemap.xml` is a sitemap
//! index naming `sitemap-1.xml`, `sitemap-2.xml`…, each of at most `SITEMAP_URLS` pages (the
//! protocol's limit), so that `sitemap.xml` stays the one address robots are given.

use super::jobs::JobKind;
use super::{Alternate, Job, Lookup, Planner, SitemapEntry, View, ViewData};
use crate::urls::SitePath;

/// The sitemap protocol's limit of URLs per file.
pub const SITEMAP_URLS: usize = 50_000;

/// How many sitemaps `listed` pages take with at most `limit` in each.
pub fn sitemap_parts(listed: usize, limit: usize) -> usize {
    listed.div_ceil(limit.max(1)).max(1)
}

/// Where sitemap `part` (from 0) of `parts` lives.
pub fn sitemap_path(part: usize, parts: usize) -> SitePath {
    if parts <= 1 {
        SitePath::file("sitemap.xml")
    } else {
        SitePath::file(format!("sitemap-{}.xml", part + 1))
    }
}

/// The sitemap jobs of a site of `listed` pages: one sitemap, or an index and its parts.
pub fn sitemap_jobs(listed: usize) -> Vec<JobKind> {
    let parts = sitemap_parts(listed, SITEMAP_URLS);
    let mut jobs = Vec::with_capacity(parts + 1);
    if parts > 1 {
        jobs.push(JobKind::SitemapIndex { parts });
    }
    jobs.extend((0..parts).map(|part| JobKind::Sitemap { part, parts }));
    jobs
}

/// Whether an output is a page the sitemap lists (every HTML page but the 404).
pub fn in_sitemap(kind: JobKind) -> bool {
    !matches!(
        kind,
        JobKind::NotFound
            | JobKind::Feed { .. }
            | JobKind::Sitemap { .. }
            | JobKind::SitemapIndex { .. }
    )
}

impl Planner<'_> {
    /// Part `part` of the sitemap: the pages from `part × SITEMAP_URLS` on.
    pub(super) fn sitemap(&self, part: usize, parts: usize) -> Lookup<Job> {
        let entries = self
            .jobs()
            .into_iter()
            .filter(|kind| in_sitemap(*kind))
            .skip(part * SITEMAP_URLS)
            .take(SITEMAP_URLS)
            .map(|kind| self.sitemap_entry(kind))
            .collect();
        Ok(self.xml_job(
            sitemap_path(part, parts),
            "sitemap.xml",
            ViewData::Sitemap { entries },
        ))
    }

    /// `sitemap.xml` when the pages take several sitemaps: their absolute addresses.
    pub(super) fn sitemap_index(&self, parts: usize) -> Lookup<Job> {
        let sitemaps = (0..parts)
            .map(|part| self.absolute(&sitemap_path(part, parts)))
            .collect();
        Ok(self.xml_job(
            SitePath::file("sitemap.xml"),
            "sitemap-index.xml",
            ViewData::SitemapIndex { sitemaps },
        ))
    }

    fn sitemap_entry(&self, kind: JobKind) -> SitemapEntry {
        let path = self.path(kind);
        let lastmod = match kind {
            JobKind::Topic { lang, topic } => {
                let page = &self.model.languages[lang].topics[topic].page;
                Some(page.updated.unwrap_or(page.date).iso())
            }
            JobKind::Page { lang, page } => {
                let page = &self.model.languages[lang].pages[page].page;
                Some(page.updated.unwrap_or(page.date).iso())
            }
            _ => None,
        };
        let page_kind = if kind == JobKind::Chooser {
            "chooser"
        } else if matches!(kind, JobKind::Home { page: 0, .. }) {
            "home"
        } else {
            "page"
        };
        let translations = self.translations(kind);
        let (mut alternates, x_default) = self.alternate_links(page_kind, &path, &translations);
        if !alternates.is_empty() {
            alternates.push(Alternate {
                lang: "x-default".into(),
                href: x_default,
            });
        }
        SitemapEntry {
            loc: self.absolute(&path),
            lastmod,
            alternates,
        }
    }

    fn xml_job(&self, path: SitePath, template: &'static str, data: ViewData) -> Job {
        Job {
            path,
            template,
            view: View {
                lang: self.options.languages[0].clone(),
                page: None,
                data,
            },
            source: None,
            languages: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_site_gets_an_index_and_sitemaps_of_at_most_the_limit() {
        assert_eq!(
            sitemap_jobs(10),
            vec![JobKind::Sitemap { part: 0, parts: 1 }]
        );
        assert_eq!(sitemap_jobs(SITEMAP_URLS).len(), 1);
        let big = sitemap_jobs(2 * SITEMAP_URLS + 1);
        assert_eq!(big[0], JobKind::SitemapIndex { parts: 3 });
        assert_eq!(big.len(), 4);
        assert_eq!(sitemap_path(0, 1), SitePath::file("sitemap.xml"));
        assert_eq!(sitemap_path(2, 3), SitePath::file("sitemap-3.xml"));
        assert_eq!(sitemap_parts(80_051, SITEMAP_URLS), 2);
    }
}
