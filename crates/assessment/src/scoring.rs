//! Auto-grading of one answer, by question kind. Pure: the rules read nothing else.

use crate::model::{PartialCredit, QuestionKind};

/// What a question needs to score an answer.
#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub kind: QuestionKind,
    pub points: f64,
    /// Choice kinds: the right positions; true/false: `[1]` for true, `[0]` for false.
    pub correct: Vec<i32>,
    /// How many choices the question has (multiple choice, proportional credit).
    pub choices: usize,
    pub partial_credit: PartialCredit,
    pub accepted: Vec<String>,
    pub accent_insensitive: bool,
    pub numeric_answer: Option<f64>,
    pub numeric_tolerance: f64,
}

/// Lower case, trimmed, inner spaces collapsed, and (when asked) without accents.
pub(crate) fn normalise(text: &str, accent_insensitive: bool) -> String {
    let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if accent_insensitive {
        aula_catalog::text::normalize(&spaced)
    } else {
        spaced.to_lowercase()
    }
}

/// A number as people type it: `3.5`, `3,5`, ` 1 200 ` is not one.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim().replace(',', ".");
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Choice positions as stored and sent: space- or comma-separated integers.
pub(crate) fn positions(text: &str) -> Option<Vec<i32>> {
    let mut out: Vec<i32> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// Points for `response` (as stored); 0 for no answer.
pub(crate) fn score(key: &Key, response: Option<&str>) -> f64 {
    let Some(response) = response else { return 0.0 };
    let full = key.points;
    match key.kind {
        QuestionKind::SingleChoice | QuestionKind::TrueFalse => match positions(response) {
            Some(chosen) if chosen == key.correct => full,
            _ => 0.0,
        },
        QuestionKind::MultipleChoice => {
            let Some(chosen) = positions(response) else {
                return 0.0;
            };
            let right = chosen.iter().filter(|c| key.correct.contains(c)).count() as f64;
            let wrong = chosen.len() as f64 - right;
            let total_right = key.correct.len().max(1) as f64;
            let share = match key.partial_credit {
                PartialCredit::AllOrNothing => {
                    if chosen == key.correct {
                        1.0
                    } else {
                        0.0
                    }
                }
                PartialCredit::Proportional => {
                    // Each choice is either marked as it should be or not.
                    let n = key.choices.max(1) as f64;
                    let missed = total_right - right;
                    (n - wrong - missed) / n
                }
                PartialCredit::RightMinusWrong => ((right - wrong) / total_right).max(0.0),
            };
            crate::rubric::round2(full * share)
        }
        QuestionKind::ShortAnswer => {
            let given = normalise(response, key.accent_insensitive);
            let hit = !given.is_empty()
                && key
                    .accepted
                    .iter()
                    .any(|a| normalise(a, key.accent_insensitive) == given);
            if hit {
                full
            } else {
                0.0
            }
        }
        QuestionKind::Numeric => match (parse_number(response), key.numeric_answer) {
            // A hair of slack so `0.1 + 0.2` style answers within the tolerance count.
            (Some(n), Some(answer)) if (n - answer).abs() <= key.numeric_tolerance + 1e-9 => full,
            _ => 0.0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kind: QuestionKind) -> Key {
        Key {
            kind,
            points: 2.0,
            correct: vec![],
            choices: 4,
            partial_credit: PartialCredit::AllOrNothing,
            accepted: vec![],
            accent_insensitive: true,
            numeric_answer: None,
            numeric_tolerance: 0.0,
        }
    }

    #[test]
    fn single_choice_and_true_false_score_the_right_position_only() {
        let k = Key {
            correct: vec![2],
            ..key(QuestionKind::SingleChoice)
        };
        assert_eq!(score(&k, Some("2")), 2.0);
        assert_eq!(score(&k, Some("1")), 0.0);
        assert_eq!(score(&k, Some("1 2")), 0.0);
        assert_eq!(score(&k, Some("x")), 0.0);
        assert_eq!(score(&k, None), 0.0);
        let tf = Key {
            correct: vec![0],
            ..key(QuestionKind::TrueFalse)
        };
        assert_eq!(score(&tf, Some("0")), 2.0);
        assert_eq!(score(&tf, Some("1")), 0.0);
    }

    #[test]
    fn multiple_choice_partial_credit_follows_its_rule() {
        let base = Key {
            correct: vec![0, 2],
            ..key(QuestionKind::MultipleChoice)
        };
        let rule = |partial_credit| Key {
            partial_credit,
            ..base.clone()
        };
        let all = rule(PartialCredit::AllOrNothing);
        assert_eq!(score(&all, Some("2,0")), 2.0);
        assert_eq!(score(&all, Some("0")), 0.0);
        // Of four choices: 0 marked (right), 2 missed, 1 marked (wrong), 3 left (right).
        let prop = rule(PartialCredit::Proportional);
        assert_eq!(score(&prop, Some("0 1")), 1.0);
        assert_eq!(score(&prop, Some("0")), 1.5);
        assert_eq!(score(&prop, Some("0 2")), 2.0);
        let rmw = rule(PartialCredit::RightMinusWrong);
        assert_eq!(score(&rmw, Some("0")), 1.0);
        assert_eq!(score(&rmw, Some("0 1")), 0.0);
        assert_eq!(score(&rmw, Some("1 3")), 0.0);
        assert_eq!(score(&rmw, Some("0 2")), 2.0);
    }

    #[test]
    fn short_answers_match_normalised_and_optionally_without_accents() {
        let k = Key {
            accepted: vec!["Seguridad Social".into(), "CISS".into()],
            ..key(QuestionKind::ShortAnswer)
        };
        assert_eq!(score(&k, Some("  seguridad   social ")), 2.0);
        assert_eq!(score(&k, Some("ciss")), 2.0);
        assert_eq!(score(&k, Some("")), 0.0);
        let accents = Key {
            accepted: vec!["pensión".into()],
            ..key(QuestionKind::ShortAnswer)
        };
        assert_eq!(score(&accents, Some("PENSION")), 2.0);
        let strict = Key {
            accent_insensitive: false,
            ..accents
        };
        assert_eq!(score(&strict, Some("pension")), 0.0);
        assert_eq!(score(&strict, Some("Pensión")), 2.0);
    }

    #[test]
    fn numeric_answers_count_within_the_tolerance() {
        let k = Key {
            numeric_answer: Some(12.5),
            numeric_tolerance: 0.5,
            ..key(QuestionKind::Numeric)
        };
        assert_eq!(score(&k, Some("12,9")), 2.0);
        assert_eq!(score(&k, Some("13")), 2.0);
        assert_eq!(score(&k, Some("13.01")), 0.0);
        assert_eq!(score(&k, Some("doce")), 0.0);
        assert_eq!(score(&k, Some("NaN")), 0.0);
    }
}
