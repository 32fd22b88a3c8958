//! docs/model.md §2.5: approaches (policies) over time: when a policy acts, which issue an
//! offer addresses, how the actor's hardliners move, and when backlash ends a
//! less-hardline approach.
//!
//! Hardliners rise by `backlash` after each rebuff and between rebuffs relax
//! toward the state's baseline (its `hardliners` in states.csv), closing the
//! share `hardliner_relaxation` of the gap each month:
//! h ← h + (1 − k)(h₀ − h) + backlash·(rebuffs this step), k = (1 − hardliner_relaxation)^s.
//! So an approach ends only when rebuffs come faster than hardliners calm down
//! (with 0, as in the spec, any approach ever rebuffed often enough ends); the
//! leader's `commitment` still keeps it going above the limit.

use crate::scenario::{IssueChoice, IssueClass, IssueSpec, PolicySpec};

/// Whether the policy makes an offer (or a hardline action) in step `step`:
/// from `start`, every `every` steps, up to and including `end`.
pub fn acts_at(policy: &PolicySpec, step: u64) -> bool {
    step >= policy.start
        && policy.end.is_none_or(|e| step <= e)
        && (step - policy.start).is_multiple_of(policy.every)
}

/// Whether the policy is within its window at `step` (it may still be ended early).
pub fn in_window(policy: &PolicySpec, step: u64) -> bool {
    step >= policy.start && policy.end.is_none_or(|e| step <= e)
}

/// The issue an offer addresses: the named issue if still open, or the most
/// salient open issue of the class on the pair (ties to the first id). `None`
/// when nothing is left to offer on.
pub fn chosen_issue(policy: &PolicySpec, issues: &[IssueSpec], open: &[bool]) -> Option<usize> {
    let pair = (
        policy.actor.min(policy.target),
        policy.actor.max(policy.target),
    );
    let class = match policy.issue {
        IssueChoice::Issue(k) => return open[k].then_some(k),
        IssueChoice::Class(c) => c,
    };
    let mut best: Option<usize> = None;
    for (k, issue) in issues.iter().enumerate() {
        let fits = match class {
            IssueClass::Any => true,
            IssueClass::Core => issue.core,
            IssueClass::Peripheral => !issue.core,
        };
        if open[k]
            && fits
            && (issue.a, issue.b) == pair
            && best.is_none_or(|b| issue.salience > issues[b].salience)
        {
            best = Some(k);
        }
    }
    best
}

/// A state's hardliners after a step: relaxed toward `baseline`, keeping the
/// share `keep` of their excess, then raised by `rise` (this step's rebuffs),
/// within [0, 1]. With keep = 1 (no relaxation) it is h + rise, bit for bit.
#[inline]
pub fn hardliners_after(h: f64, baseline: f64, keep: f64, rise: f64) -> f64 {
    (h + (1.0 - keep) * (baseline - h) + rise).clamp(0.0, 1.0)
}

/// Whether an approach meets domestic backlash this step: the actor's hardliners
/// exceed `backlash_limit`. It then ends unless commitment keeps it (the engine
/// draws survival with probability commitment^s in a step of s months).
pub fn under_backlash(actor_hardliners: f64, backlash_limit: f64) -> bool {
    actor_hardliners > backlash_limit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Stance;

    fn policy(issue: IssueChoice) -> PolicySpec {
        PolicySpec {
            start: 10,
            end: Some(40),
            actor: 1,
            target: 0,
            stance: Stance::LessHardline,
            issue,
            offer: 0.5,
            every: 5,
        }
    }

    fn issue(id: &str, core: bool, salience: f64) -> IssueSpec {
        IssueSpec {
            id: id.into(),
            a: 0,
            b: 1,
            salience,
            core,
        }
    }

    #[test]
    fn schedule() {
        let p = policy(IssueChoice::Class(IssueClass::Any));
        let acts: Vec<u64> = (0..50).filter(|&s| acts_at(&p, s)).collect();
        assert_eq!(acts, vec![10, 15, 20, 25, 30, 35, 40]);
        assert!(in_window(&p, 40) && !in_window(&p, 41) && !in_window(&p, 9));
    }

    #[test]
    fn issue_choice_prefers_salient_open_issues_of_the_class() {
        let issues = vec![
            issue("arms", false, 0.4),
            issue("trade", false, 0.6),
            issue("ukraine", true, 1.0),
        ];
        let all_open = [true, true, true];
        assert_eq!(
            chosen_issue(
                &policy(IssueChoice::Class(IssueClass::Peripheral)),
                &issues,
                &all_open
            ),
            Some(1)
        );
        assert_eq!(
            chosen_issue(
                &policy(IssueChoice::Class(IssueClass::Core)),
                &issues,
                &all_open
            ),
            Some(2)
        );
        assert_eq!(
            chosen_issue(
                &policy(IssueChoice::Class(IssueClass::Any)),
                &issues,
                &all_open
            ),
            Some(2)
        );
        let trade_done = [true, false, true];
        assert_eq!(
            chosen_issue(
                &policy(IssueChoice::Class(IssueClass::Peripheral)),
                &issues,
                &trade_done
            ),
            Some(0)
        );
        let peripheral_done = [false, false, true];
        assert_eq!(
            chosen_issue(
                &policy(IssueChoice::Class(IssueClass::Peripheral)),
                &issues,
                &peripheral_done
            ),
            None
        );
        assert_eq!(
            chosen_issue(&policy(IssueChoice::Issue(1)), &issues, &trade_done),
            None
        );
        // issues of another pair are never chosen
        let other = vec![IssueSpec {
            a: 0,
            b: 2,
            ..issue("x", false, 1.0)
        }];
        assert_eq!(
            chosen_issue(
                &policy(IssueChoice::Class(IssueClass::Any)),
                &other,
                &[true]
            ),
            None
        );
    }

    #[test]
    fn hardliners_rise_after_rebuffs_and_relax_toward_their_baseline() {
        // null setting (keep = 1): only rebuffs move them, bit for bit
        assert_eq!(
            hardliners_after(0.55, 0.5, 1.0, 0.03).to_bits(),
            (0.55f64 + 0.03).to_bits()
        );
        assert_eq!(hardliners_after(0.55, 0.5, 1.0, 0.0), 0.55);
        // relaxation closes 10% of the gap to the baseline a step, from either side
        assert!((hardliners_after(0.7, 0.5, 0.9, 0.0) - 0.68).abs() < 1e-15);
        assert!((hardliners_after(0.3, 0.5, 0.9, 0.0) - 0.32).abs() < 1e-15);
        assert!((hardliners_after(0.7, 0.5, 0.9, 0.03) - 0.71).abs() < 1e-15);
        // at the baseline nothing moves; the bounds hold
        assert_eq!(hardliners_after(0.5, 0.5, 0.9, 0.0), 0.5);
        assert_eq!(hardliners_after(0.99, 0.9, 1.0, 0.05), 1.0);
        // steady rebuffs: the excess settles where rises and relaxation balance,
        // rise / (1 − keep) — below the limit an approach then never ends
        let mut h = 0.5;
        for _ in 0..2000 {
            h = hardliners_after(h, 0.5, 0.99, 0.001);
        }
        assert!((h - (0.5 + 0.001 / 0.01)).abs() < 1e-6, "{h}");
    }

    #[test]
    fn backlash_is_strictly_above_the_limit() {
        assert!(!under_backlash(0.7, 0.7));
        assert!(under_backlash(0.71, 0.7));
    }
}
