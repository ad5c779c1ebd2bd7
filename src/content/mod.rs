//! Parse stage: one content file → `Page`, `HomeText` or `Glossary`, pure functions of the
//! file's text (and, for pages, the glossary of their language).

pub mod date;
pub mod glossary;
pub mod lazy_text;
pub mod markdown;
pub mod media;
pub mod page;
pub mod typography;
