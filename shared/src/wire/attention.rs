//! When a person must step in: the attention rules (data an admin edits,
//! kept by the edge in D1), their evaluation over what the note agent
//! reported on a call, and the queue's wire types (`GET /api/attention`).
//!
//! A rule is a name, a severity and one condition over stored facts: the
//! quality-inspection total or one item's share of its full score, a summary
//! tag's value (a choice, or words in a text tag), or the backend refusing a
//! call because the party reached the daily limit (1002). Evaluation is
//! pure: [`evaluate`] turns one decoded note record into the findings of
//! every enabled rule it meets, at most one per rule.

use serde::{Deserialize, Serialize};

use crate::open_enum::open_enum;
use crate::wire::mediation::StatusCategory;
use crate::wire::note::{quality_total, score_text, NoteOutcome, TagValue};
use crate::FieldError;

open_enum! {
    /// How urgent an entry is.
    pub enum Severity {
        High = "high",
        Medium = "medium",
        Low = "low",
    }
}

impl Severity {
    /// Orders the queue: high first (an unknown severity last).
    pub fn rank(&self) -> i64 {
        match self {
            Severity::High => 0,
            Severity::Medium => 1,
            Severity::Low => 2,
            Severity::Other(_) => 3,
        }
    }
}

open_enum! {
    /// What a rule looks at.
    pub enum ConditionKind {
        /// The quality-inspection total, as a share of the full total, is below `percent`.
        QaTotalBelow = "qa_total_below",
        /// Some quality-inspection item scored at or below `percent` of its full score.
        QaItemAtMost = "qa_item_at_most",
        /// The summary tag `tag` has one of `values` (an enum tag's choice,
        /// or words a text tag contains).
        Tag = "tag",
        /// The backend refused a call: the party reached the daily call limit (1002).
        CallLimit = "call_limit",
        /// The party's latest `count` calls in a row were dialled but not
        /// connected (no answer, busy, powered off, …).
        NotConnectedInRow = "not_connected_in_row",
    }
}

/// A rule's condition, flat: which fields matter depends on `kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    pub kind: ConditionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// How many calls in a row (for `not_connected_in_row`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
}

/// One attention rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub enabled: bool,
    pub condition: Condition,
}

/// Longest rule name (characters), tag name and value, and most values.
pub const MAX_NAME: usize = 40;
pub const MAX_TAG: usize = 40;
pub const MAX_VALUES: usize = 20;
/// Longest run of not-connected calls a rule may wait for (the edge keeps
/// this many of a party's latest outcomes).
pub const MAX_RUN: i64 = 20;

impl Rule {
    /// What an admin may save: a known severity and kind, and the fields its kind needs.
    pub fn validate(&self) -> Result<(), FieldError> {
        let id_ok = !self.id.is_empty() && self.id.len() <= 40 && self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(FieldError::new("id", "must be 1 to 40 of a-z, 0-9 and -"));
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(FieldError::new("name", format!("must be 1 to {MAX_NAME} characters")));
        }
        if !self.severity.is_known() {
            return Err(FieldError::new("severity", "must be high, medium or low"));
        }
        let c = &self.condition;
        match c.kind {
            ConditionKind::QaTotalBelow | ConditionKind::QaItemAtMost => match c.percent {
                Some(p) if (0..=100).contains(&p) => {}
                _ => return Err(FieldError::new("condition.percent", "must be a whole number from 0 to 100")),
            },
            ConditionKind::Tag => {
                let tag = c.tag.as_deref().unwrap_or_default().trim();
                if tag.is_empty() || tag.chars().count() > MAX_TAG {
                    return Err(FieldError::new("condition.tag", format!("must be 1 to {MAX_TAG} characters")));
                }
                if c.values.is_empty() || c.values.len() > MAX_VALUES {
                    return Err(FieldError::new("condition.values", format!("must hold 1 to {MAX_VALUES} values")));
                }
                if let Some(i) = c.values.iter().position(|v| v.trim().is_empty() || v.chars().count() > MAX_TAG) {
                    return Err(FieldError::new(format!("condition.values[{i}]"), format!("must be 1 to {MAX_TAG} characters")));
                }
            }
            ConditionKind::CallLimit => {}
            ConditionKind::NotConnectedInRow => match c.count {
                Some(n) if (2..=MAX_RUN).contains(&n) => {}
                _ => return Err(FieldError::new("condition.count", format!("must be a whole number from 2 to {MAX_RUN}"))),
            },
            ConditionKind::Other(_) => {
                return Err(FieldError::new("condition.kind", "must be qa_total_below, qa_item_at_most, tag, call_limit or not_connected_in_row"))
            }
        }
        Ok(())
    }
}

/// What made a rule match, for the reason in words and the link to the evidence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Evidence {
    /// The rule's kind when it matched.
    pub kind: String,
    /// The QA item (for `qa_item_at_most`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Score and full score as text (`3`, `12.5`), and the share in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_score: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<i64>,
    /// The rule's threshold at the time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<i64>,
    /// The summary tag and the value that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Calls not connected in a row (for `not_connected_in_row`; the
    /// rule's count is `threshold`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
}

/// A rule one record met.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    pub severity: Severity,
    pub evidence: Evidence,
}

fn percent_of(score: f64, full: f64) -> i64 {
    if full > 0.0 {
        (score * 100.0 / full).round() as i64
    } else {
        0
    }
}

fn finding(rule: &Rule, evidence: Evidence) -> Finding {
    Finding { rule_id: rule.id.clone(), rule_name: rule.name.clone(), severity: rule.severity.clone(), evidence }
}

/// The findings of every enabled rule that one note record meets, in the
/// rules' order. A failed or unreadable record meets none.
pub fn evaluate(rules: &[Rule], outcome: &NoteOutcome) -> Vec<Finding> {
    let mut out = vec![];
    for rule in rules.iter().filter(|r| r.enabled) {
        let c = &rule.condition;
        let kind = c.kind.as_str().to_owned();
        let threshold = c.percent.unwrap_or(0);
        match (&c.kind, outcome) {
            (ConditionKind::QaTotalBelow, NoteOutcome::QualityInspection { items, .. }) if !items.is_empty() => {
                let (score, full) = quality_total(items);
                let percent = percent_of(score, full);
                // Compared in hundredths so 59.6% is below 60% although it rounds to 60.
                if full > 0.0 && score * 100.0 < threshold as f64 * full {
                    out.push(finding(rule, Evidence { kind, score: Some(score_text(score)), full_score: Some(score_text(full)), percent: Some(percent), threshold: Some(threshold), ..Evidence::default() }));
                }
            }
            (ConditionKind::QaItemAtMost, NoteOutcome::QualityInspection { items, .. }) => {
                let lowest = items
                    .iter()
                    .filter(|i| i.full_score > 0.0 && i.score * 100.0 <= threshold as f64 * i.full_score)
                    .min_by(|a, b| (a.score / a.full_score).total_cmp(&(b.score / b.full_score)));
                if let Some(i) = lowest {
                    out.push(finding(
                        rule,
                        Evidence {
                            kind,
                            item: Some(i.item.clone()),
                            score: Some(score_text(i.score)),
                            full_score: Some(score_text(i.full_score)),
                            percent: Some(percent_of(i.score, i.full_score)),
                            threshold: Some(threshold),
                            ..Evidence::default()
                        },
                    ));
                }
            }
            (ConditionKind::Tag, NoteOutcome::Summary { tags, .. }) => {
                let Some(tag) = c.tag.as_deref().map(str::trim) else { continue };
                let hit = match tags.get(tag) {
                    Some(TagValue::Choices(choices)) => c.values.iter().find(|v| choices.iter().any(|ch| ch.trim() == v.trim())),
                    Some(TagValue::Text(text)) => c.values.iter().find(|v| !v.trim().is_empty() && text.contains(v.trim())),
                    None => None,
                };
                if let Some(value) = hit {
                    out.push(finding(rule, Evidence { kind, tag: Some(tag.to_owned()), value: Some(value.trim().to_owned()), ..Evidence::default() }));
                }
            }
            _ => {}
        }
    }
    out
}

/// The findings of the enabled call-limit rules, for a call the backend
/// refused with 1002.
pub fn call_limit_findings(rules: &[Rule]) -> Vec<Finding> {
    rules
        .iter()
        .filter(|r| r.enabled && r.condition.kind == ConditionKind::CallLimit)
        .map(|r| finding(r, Evidence { kind: ConditionKind::CallLimit.as_str().into(), ..Evidence::default() }))
        .collect()
}

/// How many of a party's latest finished calls in a row were not connected,
/// given their outcomes newest first. A connected call ends the run; a call
/// still pending or under way, or one stopped without dialling (failed,
/// cancelled, at the limit, an unknown status), neither counts nor ends it.
pub fn not_connected_run(newest_first: &[StatusCategory]) -> i64 {
    let mut run = 0;
    for c in newest_first {
        match c {
            StatusCategory::NotConnected => run += 1,
            StatusCategory::Connected => break,
            _ => {}
        }
    }
    run
}

/// The findings of the enabled `not_connected_in_row` rules that a run of
/// `run` not-connected calls meets.
pub fn not_connected_findings(rules: &[Rule], run: i64) -> Vec<Finding> {
    rules
        .iter()
        .filter(|r| r.enabled && r.condition.kind == ConditionKind::NotConnectedInRow)
        .filter_map(|r| {
            let need = r.condition.count?;
            (need >= 2 && run >= need).then(|| {
                finding(r, Evidence { kind: ConditionKind::NotConnectedInRow.as_str().into(), count: Some(run), threshold: Some(need), ..Evidence::default() })
            })
        })
        .collect()
}

/// The rules the edge ships (migrations `0007_attention.sql` and
/// `0011_call_outcomes.sql` write the same).
pub fn default_rules() -> Vec<Rule> {
    let qa = |id: &str, name: &str, severity: Severity, kind: ConditionKind, percent: i64| Rule {
        id: id.into(),
        name: name.into(),
        severity,
        enabled: true,
        condition: Condition { kind, percent: Some(percent), tag: None, values: vec![], count: None },
    };
    let tag = |id: &str, name: &str, severity: Severity, tag: &str, values: &[&str]| Rule {
        id: id.into(),
        name: name.into(),
        severity,
        enabled: true,
        condition: Condition { kind: ConditionKind::Tag, percent: None, tag: Some(tag.into()), values: values.iter().map(|v| (*v).to_owned()).collect(), count: None },
    };
    vec![
        qa("qa-total-low", "质检总分偏低", Severity::High, ConditionKind::QaTotalBelow, 60),
        qa("qa-item-low", "质检项得分过低", Severity::Medium, ConditionKind::QaItemAtMost, 40),
        tag("agreement-refused", "当事人拒绝协议", Severity::High, "通话结果", &["拒绝协议"]),
        tag("agreement-unconfirmed", "协议未获确认", Severity::Medium, "通话结果", &["要求修改", "未表态"]),
        tag("not-paid", "当事人称未付款", Severity::High, "履约情况", &["未支付"]),
        tag("distress", "当事人情绪激动", Severity::Medium, "当事人情绪", &["激动"]),
        tag("asks-for-person", "需要人工介入", Severity::High, "是否需人工介入", &["是"]),
        Rule {
            id: "call-limit".into(),
            name: "当事人已达当日外呼上限".into(),
            severity: Severity::Low,
            enabled: true,
            condition: Condition { kind: ConditionKind::CallLimit, percent: None, tag: None, values: vec![], count: None },
        },
        Rule {
            id: "not-connected".into(),
            name: "多次未接通".into(),
            severity: Severity::Medium,
            enabled: true,
            condition: Condition { kind: ConditionKind::NotConnectedInRow, percent: None, tag: None, values: vec![], count: Some(3) },
        },
    ]
}

/// `GET /api/attention/rules` answer, and the rule `PUT` saves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub rules: Vec<Rule>,
}

/// One entry of the queue: a rule a call met, and what the team did about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttentionEntry {
    pub id: i64,
    /// The case, when the edge knows which case the call belongs to.
    pub case_id: Option<String>,
    pub job_id: Option<String>,
    pub rule_id: String,
    pub rule_name: String,
    pub severity: Severity,
    pub evidence: Evidence,
    /// ms since the epoch.
    pub created_at: i64,
    /// Who the case is assigned to, and by whom.
    pub assignee: Option<String>,
    pub assigned_by: Option<String>,
    /// Set once acknowledged: by whom, when, and the note left.
    pub acked_by: Option<String>,
    pub acked_at: Option<i64>,
    pub ack_note: Option<String>,
}

/// `GET /api/attention` answer: the entries the caller may see, most urgent
/// first, and how many are open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttentionList {
    pub entries: Vec<AttentionEntry>,
    pub open: i64,
}

/// Longest acknowledgement note, in characters.
pub const MAX_NOTE: usize = 500;

/// `POST /api/attention/{id}/ack` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledge {
    #[serde(default)]
    pub note: String,
}

impl Acknowledge {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.note.trim().is_empty() {
            return Err(FieldError::new("note", "must say what was done"));
        }
        if self.note.chars().count() > MAX_NOTE {
            return Err(FieldError::new("note", format!("must be at most {MAX_NOTE} characters")));
        }
        Ok(())
    }
}

/// `POST /api/attention/{id}/assign` body: the mediator's sign-in name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assign {
    pub assignee: String,
}

impl Assign {
    pub fn validate(&self) -> Result<(), FieldError> {
        let a = self.assignee.trim();
        if a.is_empty() || a.chars().count() > 64 || a.chars().any(char::is_control) {
            return Err(FieldError::new("assignee", "must be a user's name (1 to 64 characters)"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::note::{QualityItem, Summary};

    fn qa(items: &[(&str, f64, f64)]) -> NoteOutcome {
        NoteOutcome::QualityInspection {
            items: items.iter().map(|(n, full, score)| QualityItem { item: (*n).into(), full_score: *full, score: *score, problem: Some(String::new()), suggestion: Some(String::new()) }).collect(),
            issues: vec![],
        }
    }

    fn summary(tags: &[(&str, TagValue)]) -> NoteOutcome {
        NoteOutcome::Summary { tags: Summary(tags.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()), issues: vec![] }
    }

    fn ids(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.rule_id.as_str()).collect()
    }

    #[test]
    fn the_defaults_are_valid_and_each_has_a_kind_the_edge_knows() {
        let rules = default_rules();
        for r in &rules {
            assert_eq!(r.validate(), Ok(()), "{}", r.id);
        }
        let mut seen: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        seen.dedup();
        assert_eq!(seen.len(), 9);
        let migration = [include_str!("../../../edge/migrations/0007_attention.sql"), include_str!("../../../edge/migrations/0011_call_outcomes.sql")].concat();
        for r in &rules {
            let json = serde_json::to_string(&r.condition).unwrap();
            let row = format!("('{}', '{}', '{}', 1, '{}'", r.id, r.name, r.severity.as_str(), json);
            assert!(migration.contains(&row), "migration differs from default_rules for {}: want {row}", r.id);
        }
    }

    #[test]
    fn a_low_total_and_a_low_item_are_found_with_their_figures() {
        let rules = default_rules();
        // 3+6+5 of 10+15+25 = 14/50 = 28%; 身份核实 6/15 = 40%, 开场规范 3/10 = 30% (the lowest).
        let found = evaluate(&rules, &qa(&[("开场规范", 10.0, 3.0), ("身份核实", 15.0, 6.0), ("协议内容准确性", 25.0, 5.0)]));
        assert_eq!(ids(&found), ["qa-total-low", "qa-item-low"]);
        assert_eq!(found[0].evidence, Evidence { kind: "qa_total_below".into(), score: Some("14".into()), full_score: Some("50".into()), percent: Some(28), threshold: Some(60), ..Evidence::default() });
        assert_eq!(found[0].severity, Severity::High);
        assert_eq!(found[1].evidence.item.as_deref(), Some("协议内容准确性"), "5/25 = 20% is the lowest share");
        assert_eq!((found[1].evidence.percent, found[1].evidence.score.as_deref(), found[1].evidence.full_score.as_deref()), (Some(20), Some("5"), Some("25")));
    }

    #[test]
    fn thresholds_are_exact_at_their_edges() {
        let rules = default_rules();
        // Exactly 60%: not below. 59.5% rounds to 60 but is below.
        assert!(evaluate(&rules, &qa(&[("a", 10.0, 6.0)])).is_empty());
        assert_eq!(ids(&evaluate(&rules, &qa(&[("a", 200.0, 119.0), ("b", 0.0, 0.0)]))), ["qa-total-low"]);
        // An item at exactly 40% counts ("at or below"); 41% does not.
        assert_eq!(ids(&evaluate(&rules, &qa(&[("a", 10.0, 4.0), ("b", 90.0, 90.0)]))), ["qa-item-low"]);
        assert!(evaluate(&rules, &qa(&[("a", 100.0, 41.0), ("b", 100.0, 100.0)])).is_empty());
        // No items, or only zero full scores: nothing to judge.
        assert!(evaluate(&rules, &qa(&[])).is_empty());
        assert!(evaluate(&rules, &qa(&[("a", 0.0, 0.0)])).is_empty());
        // Fractional scores are kept as text.
        let f = evaluate(&rules, &qa(&[("a", 25.0, 2.5)]));
        assert_eq!(f[1].evidence.score.as_deref(), Some("2.5"));
    }

    #[test]
    fn tags_match_a_choice_exactly_or_words_in_a_text() {
        let rules = default_rules();
        let s = summary(&[
            ("通话结果", TagValue::Choices(vec!["拒绝协议".into()])),
            ("履约情况", TagValue::Choices(vec!["部分支付".into()])),
            ("当事人情绪", TagValue::Choices(vec![" 激动 ".into(), "焦虑".into()])),
            ("是否需人工介入", TagValue::Text("是".into())),
        ]);
        let found = evaluate(&rules, &s);
        assert_eq!(ids(&found), ["agreement-refused", "distress", "asks-for-person"]);
        assert_eq!(found[0].evidence, Evidence { kind: "tag".into(), tag: Some("通话结果".into()), value: Some("拒绝协议".into()), ..Evidence::default() });
        assert_eq!(found[1].evidence.value.as_deref(), Some("激动"));
        // A choice must be the value, not contain it: 未支付 is not 部分支付 or 已全额支付.
        let paid = summary(&[("履约情况", TagValue::Choices(vec!["已全额支付".into()]))]);
        assert!(evaluate(&rules, &paid).is_empty());
        let unpaid = summary(&[("履约情况", TagValue::Choices(vec!["未支付".into()]))]);
        assert_eq!(ids(&evaluate(&rules, &unpaid)), ["not-paid"]);
        // Words in a text tag.
        let mut own = default_rules();
        own.push(Rule {
            id: "money-not-arrived".into(),
            name: "称钱未到账".into(),
            severity: Severity::High,
            enabled: true,
            condition: Condition { kind: ConditionKind::Tag, percent: None, tag: Some("通话摘要".into()), values: vec!["还没收到".into(), "未到账".into()], count: None },
        });
        let text = summary(&[("通话摘要", TagValue::Text("刘某表示第二期款项还没收到,要求核实。".into()))]);
        let f = evaluate(&own, &text);
        assert_eq!((ids(&f), f[0].evidence.value.as_deref()), (vec!["money-not-arrived"], Some("还没收到")));
    }

    #[test]
    fn disabled_rules_failed_records_and_other_kinds_find_nothing() {
        let mut rules = default_rules();
        let low = qa(&[("a", 10.0, 1.0)]);
        rules[0].enabled = false;
        assert_eq!(ids(&evaluate(&rules, &low)), ["qa-item-low"]);
        let failed = NoteOutcome::Failed { error_code: "NOTE_AGENT_PROCESS_FAIL".into(), error_msg: None, issues: vec![] };
        assert!(evaluate(&default_rules(), &failed).is_empty());
        let unreadable = NoteOutcome::Unreadable { field: "result".into(), problem: "not JSON".into(), result: None };
        assert!(evaluate(&default_rules(), &unreadable).is_empty());
        // A QA rule does not look at a summary, nor a tag rule at QA.
        assert!(evaluate(&default_rules(), &summary(&[("通话结果", TagValue::Choices(vec!["同意协议".into()]))])).is_empty());
        assert_eq!(ids(&call_limit_findings(&default_rules())), ["call-limit"]);
        assert!(call_limit_findings(&rules[..7]).is_empty());
        // Nor does a note record meet a run rule.
        assert!(evaluate(&default_rules(), &qa(&[("a", 10.0, 10.0)])).iter().all(|f| f.rule_id != "not-connected"));
    }

    #[test]
    fn a_run_counts_not_connected_calls_until_the_last_connected_one() {
        use StatusCategory::*;
        assert_eq!(not_connected_run(&[]), 0);
        assert_eq!(not_connected_run(&[NotConnected, NotConnected, NotConnected]), 3);
        // A connected call ends the run, however many came before it.
        assert_eq!(not_connected_run(&[NotConnected, Connected, NotConnected, NotConnected]), 1);
        assert_eq!(not_connected_run(&[Connected, NotConnected, NotConnected]), 0);
        // A call under way, pending, stopped or unknown neither counts nor ends it.
        assert_eq!(not_connected_run(&[InProgress, NotConnected, Stopped, NotConnected, Pending, Unknown, NotConnected, Connected]), 3);
    }

    #[test]
    fn a_run_meets_the_rule_at_its_count_and_not_before() {
        let rules = default_rules();
        assert!(not_connected_findings(&rules, 2).is_empty());
        let f = not_connected_findings(&rules, 3);
        assert_eq!(ids(&f), ["not-connected"]);
        assert_eq!(f[0].evidence, Evidence { kind: "not_connected_in_row".into(), count: Some(3), threshold: Some(3), ..Evidence::default() });
        assert_eq!(f[0].severity, Severity::Medium);
        assert_eq!(not_connected_findings(&rules, 5)[0].evidence.count, Some(5));
        let mut off = default_rules();
        off[8].enabled = false;
        assert!(not_connected_findings(&off, 9).is_empty());
        // A rule whose count was never set (an older row) meets nothing.
        off[8].enabled = true;
        off[8].condition.count = None;
        assert!(not_connected_findings(&off, 9).is_empty());
    }

    #[test]
    fn a_rule_is_refused_naming_the_field_that_is_wrong() {
        let good = default_rules()[0].clone();
        let field = |r: Rule| r.validate().unwrap_err().field;
        assert_eq!(field(Rule { id: "Bad Id".into(), ..good.clone() }), "id");
        assert_eq!(field(Rule { name: " ".into(), ..good.clone() }), "name");
        assert_eq!(field(Rule { name: "名".repeat(41), ..good.clone() }), "name");
        assert_eq!(field(Rule { severity: Severity::Other("urgent".into()), ..good.clone() }), "severity");
        let with = |c: Condition| Rule { condition: c, ..good.clone() };
        assert_eq!(field(with(Condition { percent: Some(101), ..good.condition.clone() })), "condition.percent");
        assert_eq!(field(with(Condition { percent: None, ..good.condition.clone() })), "condition.percent");
        assert_eq!(field(with(Condition { kind: ConditionKind::Other("sql".into()), ..good.condition.clone() })), "condition.kind");
        let tag = default_rules()[2].clone();
        let with_tag = |c: Condition| Rule { condition: c, ..tag.clone() };
        assert_eq!(field(with_tag(Condition { tag: None, ..tag.condition.clone() })), "condition.tag");
        assert_eq!(field(with_tag(Condition { values: vec![], ..tag.condition.clone() })), "condition.values");
        assert_eq!(field(with_tag(Condition { values: vec!["拒绝".into(), " ".into()], ..tag.condition.clone() })), "condition.values[1]");
        let run = default_rules()[8].clone();
        let with_run = |count: Option<i64>| Rule { condition: Condition { count, ..run.condition.clone() }, ..run.clone() };
        assert_eq!(field(with_run(Some(1))), "condition.count");
        assert_eq!(field(with_run(Some(MAX_RUN + 1))), "condition.count");
        assert_eq!(field(with_run(None)), "condition.count");
        assert_eq!(with_run(Some(MAX_RUN)).validate(), Ok(()));
        assert_eq!(Acknowledge { note: " ".into() }.validate().unwrap_err().field, "note");
        assert_eq!(Acknowledge { note: "已电话回访".into() }.validate(), Ok(()));
        assert_eq!(Assign { assignee: "".into() }.validate().unwrap_err().field, "assignee");
    }

    #[test]
    fn the_wire_form_is_camel_case_and_reads_back() {
        let r = &default_rules()[2];
        let json = serde_json::to_string(r).unwrap();
        assert_eq!(json, r#"{"id":"agreement-refused","name":"当事人拒绝协议","severity":"high","enabled":true,"condition":{"kind":"tag","tag":"通话结果","values":["拒绝协议"]}}"#);
        assert_eq!(&serde_json::from_str::<Rule>(&json).unwrap(), r);
        let e: Evidence = serde_json::from_str(r#"{"kind":"qa_item_at_most","item":"身份核实","score":"3","fullScore":"15","percent":20,"threshold":40}"#).unwrap();
        assert_eq!((e.full_score.as_deref(), e.percent), (Some("15"), Some(20)));
    }
}
