# Interface strings, in English.

## The site and its language
site-title = Korea, NATO and Canada: security partnerships
site-description = Briefing notes on the security partnerships of NATO and of Canada with the Republic of Korea.
language-name = English
chooser-enter = Enter the site in English
feed-title = Atom feed
feed-author = Briefing editors
organisation-name = Briefing editors
logo-alt = Logo of the briefing editors
og-locale = en_CA

## Page addresses (URL segments)
url-tags = themes
url-timeline = timeline
url-glossary = glossary
url-search = search
url-page = page

## Navigation
skip-to-content = Skip to content
nav-label = Main navigation
breadcrumbs-label = You are here
nav-home = Home
nav-timeline = Timeline
nav-tags = Themes
nav-glossary = Glossary
switcher-label = Language
switcher-untranslated = This topic is not yet translated into English: link to the home page
footer-text = The facts cited come from the documents listed on each page.
footer-feed = Atom feed
footer-languages = Choose language
footer-menu-label = About this site
date-modified = Date modified:

## Home
home-updated = Current as of { $date }
home-topics-heading = { $count ->
    [one] The topic
   *[other] The { $count } topics
}
home-summary-label = Summary

## Topics
topic-published = Published
topic-updated = updated
topic-tags-label = Themes
topic-toc-heading = On this page
topic-events-heading = Key dates
topic-sources-heading = Sources
topic-related-heading = On the same themes
reading-time = { $minutes ->
    [one] { $minutes }-minute read
   *[other] { $minutes }-minute read
}
draft-badge = Draft
callout-note = Note
callout-tip = Tip
callout-important = Important
callout-warning = Warning
callout-caution = Caution
new-topic-title = New topic

## Themes
tags-title = Themes
tags-description = The briefing’s topics, by theme.
tags-all = All themes
tag-count = { $count ->
    [one] { $count } topic
   *[other] { $count } topics
}
tag-page-title = Theme: { $tag }
tag-page-description = { $count ->
    [one] The topic filed under “{ $tag }”.
   *[other] The { $count } topics filed under “{ $tag }”.
}

## Timeline
timeline-title = Timeline
timeline-description = The dated events the source documents report, newest first; each links to its topic. Events announced for a later date are marked as announced.
timeline-years-label = Events per year
timeline-year-count = { $count ->
    [one] { $count } event
   *[other] { $count } events
}
timeline-count = { $count ->
    [one] { $count } event.
   *[other] { $count } events.
}
timeline-planned = Planned
timeline-planned-heading = Planned events
timeline-planned-text = Announced for a date after { $date }, the date the briefing is current to: they had not yet taken place.

## Glossary
glossary-title = Glossary
glossary-description = The acronyms and short forms used in the briefing, with what they stand for.

## Search
nav-search = Search
search-title = Search
search-description = Search the briefing’s topics, in English: titles, summaries, text and themes.
search-label = Words to look for
search-submit = Search
search-hint = Word endings and accents do not matter: “cooperate” finds “cooperation”, “Seoul” finds “Séoul”. Use the up and down arrow keys to move through the results.
search-loading = Loading the search index…
search-empty = Type one or more words to search the topics.
search-none = No topic contains “{ $query }”.
search-count = { $count ->
    [one] { $count } topic contains “{ $query }”.
   *[other] { $count } topics contain “{ $query }”.
}
search-more = Show more results
search-unavailable = Search needs JavaScript, which is turned off or not supported by this browser. The themes and the timeline list every topic.
search-results-label = Results

## Page not found
not-found-title = Page not found
not-found-text = No page of this site has the address you asked for.
not-found-home = Back to the English home page
not-found-search = Search the site in English

## Dates
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
date-full = { $day } { $month } { $year }
date-month = { $month } { $year }
date-year = { $year }
date-range-days = { $first }–{ $last } { $month } { $year }
date-range = { $start } – { $end }

## Pagination (home and tag pages)
pagination-label = Pages
pagination-prev = Previous page
pagination-next = Next page
pagination-status = Page { $number } of { $count }
