//! Related topics: for each topic, the few topics sharing most of its tags, found among its
//! neighbours in each tag's list so that the work per topic does not grow with the site.
//!
//! Each tag lists its topics in home-page order (weight, then newest first). A topic's
//! candidates are the topics within `WINDOW` places of it in the list of each of its tags;
//! they are ranked by shared tags, then newest, then by the order they were met (the
//! topic's tags in order, each tag's list in home-page order). While a tag has at most
//! `2 × WINDOW + 1` topics the window is the whole list, so the result is exactly the
//! exhaustive one; for a bigger tag, topics further than `WINDOW` places away in that tag are
//! not counted as sharing it: a topic far from this one in a big tag is rarely a better
//! suggestion than the nearest ones, and counting them all made the stage quadratic.

/// How many related topics each topic keeps (what a topic page shows).
pub const MAX_RELATED: usize = 5;

/// How many places on each side of a topic, in each of its tags' lists, are candidates.
pub const WINDOW: usize = 50;

/// What related topics are computed from: per topic its tags (indexes into `tag_topics`)
/// and date key, per tag its topics in home-page order.
pub struct RelatedInput<'a> {
    pub topic_tags: &'a [&'a [usize]],
    pub dates: &'a [(i32, u8, u8)],
    pub tag_topics: &'a [&'a [usize]],
}

/// For each topic, up to `MAX_RELATED` topics, best first. `visits` grows by one for each
/// candidate looked at, so that tests can say how the work grows.
pub fn related_topics(input: &RelatedInput<'_>, visits: &mut u64) -> Vec<Vec<usize>> {
    let count = input.topic_tags.len();
    let positions = positions_in_tags(input);
    let mut shared_counts = vec![0usize; count];
    let mut touched = Vec::new();
    let mut related = Vec::with_capacity(count);
    for (index, tags) in input.topic_tags.iter().enumerate() {
        for tag in tags.iter() {
            let list = input.tag_topics[*tag];
            let at = position_of(&positions[index], *tag);
            let window = &list[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len())];
            for &other in window {
                *visits += 1;
                if other != index {
                    if shared_counts[other] == 0 {
                        touched.push(other);
                    }
                    shared_counts[other] += 1;
                }
            }
        }
        related.push(best_of(&touched, &mut shared_counts, input.dates));
        touched.clear();
    }
    related
}

/// (shared tags, date) → topic, best first; resets the counts of the topics ranked.
fn best_of(touched: &[usize], shared_counts: &mut [usize], dates: &[(i32, u8, u8)]) -> Vec<usize> {
    type Ranked = ((usize, (i32, u8, u8)), usize);
    let mut best: Vec<Ranked> = Vec::with_capacity(MAX_RELATED + 1);
    for &other in touched {
        let key = (shared_counts[other], dates[other]);
        shared_counts[other] = 0;
        if best.len() == MAX_RELATED && best.last().is_some_and(|(last, _)| *last >= key) {
            continue;
        }
        let at = best.partition_point(|(existing, _)| *existing >= key);
        best.insert(at, (key, other));
        best.truncate(MAX_RELATED);
    }
    best.into_iter().map(|(_, other)| other).collect()
}

/// Per topic, (tag, place of the topic in that tag's list), found in one pass over the lists.
fn positions_in_tags(input: &RelatedInput<'_>) -> Vec<Vec<(usize, usize)>> {
    let mut positions: Vec<Vec<(usize, usize)>> = input
        .topic_tags
        .iter()
        .map(|tags| Vec::with_capacity(tags.len()))
        .collect();
    for (tag, list) in input.tag_topics.iter().enumerate() {
        for (place, &topic) in list.iter().enumerate() {
            positions[topic].push((tag, place));
        }
    }
    positions
}

fn position_of(positions: &[(usize, usize)], tag: usize) -> usize {
    positions
        .iter()
        .find(|(of, _)| *of == tag)
        .map(|(_, place)| *place)
        .expect("a topic is in the list of each of its tags")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ranking before windows: every topic sharing a tag counted.
    fn exhaustive(input: &RelatedInput<'_>) -> Vec<Vec<usize>> {
        let count = input.topic_tags.len();
        let mut shared = vec![0usize; count];
        let mut out = Vec::new();
        for (index, tags) in input.topic_tags.iter().enumerate() {
            let mut touched = Vec::new();
            for tag in tags.iter() {
                for &other in input.tag_topics[*tag] {
                    if other != index {
                        if shared[other] == 0 {
                            touched.push(other);
                        }
                        shared[other] += 1;
                    }
                }
            }
            out.push(best_of(&touched, &mut shared, input.dates));
        }
        out
    }

    /// (topic tags, dates, tag topics).
    type Corpus = (Vec<Vec<usize>>, Vec<(i32, u8, u8)>, Vec<Vec<usize>>);

    /// `topics` topics, each with 3 of `tag_pool` tags picked by a fixed rule, dates
    /// descending with ties (home-page order).
    fn corpus(topics: usize, tag_pool: usize) -> Corpus {
        let mut topic_tags = Vec::new();
        let mut tag_topics = vec![Vec::new(); tag_pool];
        for index in 0..topics {
            let mut tags = vec![
                index % tag_pool,
                (index * 7 + 3) % tag_pool,
                (index / 3) % tag_pool,
            ];
            tags.dedup();
            tags.sort_unstable();
            tags.dedup();
            for tag in &tags {
                tag_topics[*tag].push(index);
            }
            topic_tags.push(tags);
        }
        let dates = (0..topics)
            .map(|index| (3000 - (index / 4) as i32, 1, 1))
            .collect();
        (topic_tags, dates, tag_topics)
    }

    /// (windowed, exhaustive when asked, visits).
    fn run(
        topics: usize,
        tag_pool: usize,
        compare: bool,
    ) -> (Vec<Vec<usize>>, Vec<Vec<usize>>, u64) {
        let (topic_tags, dates, tag_topics) = corpus(topics, tag_pool);
        let topic_tags: Vec<&[usize]> = topic_tags.iter().map(Vec::as_slice).collect();
        let tag_topics: Vec<&[usize]> = tag_topics.iter().map(Vec::as_slice).collect();
        let input = RelatedInput {
            topic_tags: &topic_tags,
            dates: &dates,
            tag_topics: &tag_topics,
        };
        let mut visits = 0;
        let related = related_topics(&input, &mut visits);
        let reference = if compare {
            exhaustive(&input)
        } else {
            Vec::new()
        };
        (related, reference, visits)
    }

    #[test]
    fn small_tags_give_exactly_the_exhaustive_ranking() {
        // 300 topics over 20 tags: every tag has at most 2 × WINDOW + 1 topics.
        let (related, exhaustive, _) = run(300, 20, true);
        assert_eq!(related, exhaustive);
        assert!(related.iter().all(|list| list.len() == MAX_RELATED));
    }

    #[test]
    fn work_per_topic_is_bounded_by_the_windows_not_the_site() {
        // A tag pool that does not grow with the site: tags of about a tenth of all topics.
        let per_topic_bound = 3 * (2 * WINDOW as u64 + 1);
        let (_, _, small) = run(2_000, 10, false);
        let (_, _, large) = run(20_000, 10, false);
        assert!(small <= 2_000 * per_topic_bound, "{small} visits");
        assert!(large <= 20_000 * per_topic_bound, "{large} visits");
        // Ten times the topics, about ten times the work (the exhaustive count grows ~100×);
        // 5% for the topics near the ends of a list, whose windows are cut.
        assert!(large * 100 <= small * 1_050, "{small} then {large} visits");
        let exhaustive_visits: u64 = 20_000 * 3 * 2_000;
        assert!(large * 10 < exhaustive_visits, "{large} visits");
    }
}
