//! One run: the state of the world and the synchronous step (MODEL.md §2).
//!
//! Every rule reads the state at the start of the step; the changes it causes are
//! collected (alignment deltas, hardliner rises, issues resolved or breached,
//! hardline actions remembered) and applied together at the end, so the order of
//! the rules never changes a result. Random draws are taken in a canonical order:
//! policies (sorted), then states (by id), then issues (by id); noise has its own
//! stream.

use nalgebra::DMatrix;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::events::{Event, EventKind, Outcome};
use super::model::Model;
use super::normal;
use super::observer::Observer;
use super::params::{Topology, Weighting};
use super::rng::{NoiseRng, RunId, Stream};
use crate::dynamics::reactions::{reacting_partners, reaction, Reaction};
use crate::dynamics::reciprocity::{self, Offer, TargetContext, Utility};
use crate::dynamics::{self, approach, balance, issues, power, revisionism, update};
use crate::scenario::Stance;

/// The state of one run.
pub struct Simulation<'m> {
    model: &'m Model,
    step: u64,
    /// Symmetric alignments, zero diagonal.
    a: DMatrix<f64>,
    /// The same alignments in pair order: what the update and the outputs read.
    values: Vec<f64>,
    interest_base: Vec<f64>,
    interest: Vec<f64>,
    power: Vec<f64>,
    /// Power of every state over the last `trend_window` steps, oldest first.
    power_history: Vec<Vec<f64>>,
    hardliners: Vec<f64>,
    /// i's recent hardline actions against j at `i * n + j` (moving average).
    hardline_memory: Vec<f64>,
    /// Offers each state received recently (moving average): C of §2.6.
    concessions: Vec<f64>,
    /// Each state's aggression probability and the concessions it was computed
    /// for (NaN: not yet).
    aggression: Vec<(f64, f64)>,
    open: Vec<bool>,
    active: Vec<bool>,
    rng: ChaCha8Rng,
    noise_rng: NoiseRng,
    events: Vec<Event>,
    // Per-step values and scratch, allocated once.
    engaged: Vec<bool>,
    share: Vec<f64>,
    trend: Vec<f64>,
    weights: Vec<f64>,
    dense: balance::DenseScratch,
    /// This step's Σ_k w_k a_ik a_kj and Σ_{k≠i,j} w_k of every pair (B's
    /// numerator and normalizer).
    sums: Vec<f64>,
    thirds: Vec<f64>,
    delta: Vec<f64>,
    /// This step's standard normal draw per pair (the noise).
    normals: Vec<f64>,
    hardliner_rise: Vec<f64>,
    actions: Vec<(u32, u32)>,
    offers_received: Vec<f64>,
    resolved_now: Vec<u32>,
    breached_now: Vec<u32>,
}

impl<'m> Simulation<'m> {
    /// The initial state (step 0) of run `id` of `model`.
    pub fn new(model: &'m Model, id: RunId) -> Self {
        let s = &model.scenario;
        let n = s.states.len();
        let a = model.network.dense_alignment();
        let interest_base: Vec<f64> = model
            .network
            .graph
            .edge_weights()
            .map(|t| t.interest)
            .collect();
        let power: Vec<f64> = s.states.iter().map(|x| x.power).collect();
        let values = model
            .pair_cells
            .iter()
            .map(|&(ij, _)| a.as_slice()[ij as usize])
            .collect();
        let mut sim = Simulation {
            model,
            step: 0,
            a,
            values,
            interest: interest_base.clone(),
            interest_base,
            power_history: vec![power.clone()],
            power,
            hardliners: s.states.iter().map(|x| x.hardliners).collect(),
            hardline_memory: vec![0.0; n * n],
            concessions: vec![0.0; n],
            aggression: vec![(f64::NAN, 0.0); n],
            open: vec![true; s.issues.len()],
            active: vec![true; s.policies.len()],
            rng: id.generator(Stream::Events),
            noise_rng: id.noise_generator(),
            events: Vec::new(),
            engaged: vec![false; n],
            share: vec![0.0; n],
            trend: vec![0.0; n],
            weights: vec![0.0; n],
            dense: balance::DenseScratch::default(),
            sums: vec![0.0; model.pairs.len()],
            thirds: vec![0.0; model.pairs.len()],
            delta: vec![0.0; model.pairs.len()],
            normals: vec![0.0; model.pairs.len()],
            hardliner_rise: vec![0.0; n],
            actions: Vec::new(),
            offers_received: vec![0.0; n],
            resolved_now: Vec::new(),
            breached_now: Vec::new(),
        };
        sim.measure();
        sim
    }

    /// Runs `params.steps` steps, showing the initial state and each step to `observer`.
    pub fn run(&mut self, observer: &mut impl Observer) {
        observer.observe(self);
        for _ in 0..self.model.params().steps {
            self.step();
            observer.observe(self);
        }
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }
    /// The number of steps taken (0 before the first).
    pub fn step_count(&self) -> u64 {
        self.step
    }
    /// The symmetric alignment matrix.
    pub fn alignments(&self) -> &DMatrix<f64> {
        &self.a
    }
    /// Alignment of pair `k`.
    pub fn alignment(&self, k: usize) -> f64 {
        self.values[k]
    }
    /// Alignments of all pairs, in pair order.
    pub fn pair_alignments(&self) -> &[f64] {
        &self.values
    }
    /// Interest of pair `k`.
    pub fn interest(&self, k: usize) -> f64 {
        self.interest[k]
    }
    pub fn power(&self) -> &[f64] {
        &self.power
    }
    /// Power shares among the engaged states.
    pub fn shares(&self) -> &[f64] {
        &self.share
    }
    pub fn hardliners(&self) -> &[f64] {
        &self.hardliners
    }
    /// Relative power trend per step of each state (positive when rising); T = −trend.
    pub fn trends(&self) -> Vec<f64> {
        self.trend.iter().map(|t| -t).collect()
    }
    /// Whether each issue is open.
    pub fn open_issues(&self) -> &[bool] {
        &self.open
    }
    /// Whether each policy is still active (not ended by backlash).
    pub fn active_policies(&self) -> &[bool] {
        &self.active
    }
    /// The events of the last step.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// U of an offer from `actor` to `target` in the current state, term by term.
    pub fn utility(&self, actor: usize, target: usize, size: f64, core: bool) -> Utility {
        let n = self.model.state_count();
        reciprocity::utility(
            self.model.params(),
            &self.a,
            &self.share,
            Offer {
                actor,
                target,
                size,
                core,
            },
            TargetContext {
                trend: self.trend[target],
                hardline_memory: self.hardline_memory[actor * n + target],
                hardliners: self.hardliners[target],
            },
        )
    }

    /// Derived quantities of the current state: who is engaged, the power shares and
    /// balance weights among engaged states, and each state's trend T.
    ///
    /// A state is engaged when it has a non-zero tie or is party to an issue or a
    /// policy; the others carry no weight, so a state with no ties and no policies
    /// changes nothing else.
    fn measure(&mut self) {
        let p = self.model.params();
        let parties = self.model.participant.iter().enumerate();
        for (engaged, (k, &party)) in self.engaged.iter_mut().zip(parties) {
            *engaged = party || dynamics::ties(&self.a, k).iter().any(|&x| x != 0.0);
        }
        let engaged_sum = |values: &[f64]| -> f64 {
            let both = self.engaged.iter().zip(values);
            both.filter(|(&e, _)| e).map(|(_, &x)| x).sum()
        };
        let past = &self.power_history[0];
        let (total, past_total) = (engaged_sum(&self.power), engaged_sum(past));
        let window = (self.power_history.len() - 1) as u64;
        let states = self.engaged.iter().zip(&self.power).zip(past);
        let outputs = self
            .share
            .iter_mut()
            .zip(&mut self.trend)
            .zip(&mut self.weights);
        for (((&engaged, &power), &past), ((share, trend), weight)) in states.zip(outputs) {
            if engaged && total > 0.0 {
                *share = power / total;
                *trend = power::trend(past / past_total, *share, window);
            } else {
                *share = 0.0;
                *trend = 0.0;
            }
            *weight = match (engaged, p.balance_weighting) {
                (false, _) => 0.0,
                (true, Weighting::Uniform) => 1.0,
                (true, Weighting::Power) => power,
            };
        }
    }

    /// Adds `x` to the alignment change of (i, j) this step, if they evolve together.
    fn push(&mut self, i: usize, j: usize, x: f64) {
        if let Some(k) = self.model.pair_index(i, j) {
            self.delta[k] += x;
        }
    }

    fn record(
        &mut self,
        kind: EventKind,
        actor: usize,
        target: usize,
        issue: Option<usize>,
        u: Option<&Utility>,
        outcome: Outcome,
    ) {
        self.events.push(Event {
            step: self.step + 1,
            kind,
            actor: actor as u32,
            target: target as u32,
            issue: issue.map(|k| k as u32),
            utility: u.map_or(f64::NAN, |u| u.total),
            probability: u.map_or(f64::NAN, Utility::probability),
            outcome,
        });
    }

    /// One synchronous step.
    pub fn step(&mut self) {
        let model = self.model;
        let s = &model.scenario;
        let p = model.params();
        let n = s.states.len();
        let now = self.step + 1;
        self.events.clear();
        self.delta.fill(0.0);
        self.hardliner_rise.fill(0.0);
        self.offers_received.fill(0.0);
        self.actions.clear();
        self.resolved_now.clear();
        self.breached_now.clear();

        // §2.4 policies: offers, reciprocation, reactions; hardline actions; backlash.
        for (q, policy) in s.policies.iter().enumerate() {
            if !self.active[q] || !approach::in_window(policy, now) {
                continue;
            }
            let (i, j) = (policy.actor, policy.target);
            if approach::acts_at(policy, now) {
                match policy.stance {
                    Stance::Hardline => {
                        self.push(i, j, -p.hardline_impact);
                        self.actions.push((i as u32, j as u32));
                        let issue = match policy.issue {
                            crate::scenario::IssueChoice::Issue(k) => Some(k),
                            _ => None,
                        };
                        self.record(EventKind::Hardline, i, j, issue, None, Outcome::None);
                    }
                    Stance::LessHardline => {
                        if let Some(k) = approach::chosen_issue(policy, &s.issues, &self.open) {
                            self.offer(i, j, policy.offer, Some(k));
                        }
                    }
                }
            }
            if policy.stance == Stance::LessHardline
                && approach::under_backlash(self.hardliners[i], p.backlash_limit)
            {
                let keep: f64 = self.rng.gen();
                if keep >= p.commitment {
                    self.active[q] = false;
                    self.record(EventKind::ApproachEnd, i, j, None, None, Outcome::None);
                }
            }
        }

        // §2.6 revisionist actions.
        for j in 0..n {
            if !revisionism::has_rival(&self.a, j) {
                continue;
            }
            // The probability changes only with the state's concessions, which
            // stay put for most states: recomputed (an `exp`) only when they move.
            let concessions = self.concessions[j];
            let (seen, prob) = &mut self.aggression[j];
            if seen.to_bits() != concessions.to_bits() {
                let revisionism = s.states[j].revisionism;
                *prob = revisionism::aggression_probability(p, revisionism, concessions);
                *seen = concessions;
            }
            let prob = *prob;
            if self.rng.gen::<f64>() < prob {
                let u: f64 = self.rng.gen();
                if let Some(m) = revisionism::pick_rival(&self.a, j, u) {
                    self.push(j, m, -p.hardline_impact);
                    self.actions.push((j as u32, m as u32));
                    self.events.push(Event {
                        step: now,
                        kind: EventKind::Aggression,
                        actor: j as u32,
                        target: m as u32,
                        issue: None,
                        utility: (prob / (1.0 - prob)).ln(),
                        probability: prob,
                        outcome: Outcome::None,
                    });
                }
            }
        }

        // §1 breaches of resolved issues.
        if p.breach > 0.0 || p.breach_hostility > 0.0 {
            for k in 0..s.issues.len() {
                let (i, j) = (s.issues[k].a, s.issues[k].b);
                if !self.open[k]
                    && self.rng.gen::<f64>() < issues::breach_probability(p, self.a[(i, j)])
                {
                    self.breached_now.push(k as u32);
                    let issue = &s.issues[k];
                    self.record(
                        EventKind::Breach,
                        issue.a,
                        issue.b,
                        Some(k),
                        None,
                        Outcome::None,
                    );
                }
            }
        }

        // §2.1–2.3 the continuous update of every evolving pair, plus event deltas.
        self.update_alignments();

        // Apply the rest of the step's changes.
        for &k in &self.resolved_now {
            self.open[k as usize] = false;
        }
        for &k in &self.breached_now {
            self.open[k as usize] = true;
        }
        for &k in self.resolved_now.iter().chain(&self.breached_now) {
            let pair = model.issue_pair[k as usize] as usize;
            let gains = model
                .issues_of_pair(pair)
                .iter()
                .filter(|&&x| !self.open[x as usize])
                .map(|&x| model.issue_gain[x as usize]);
            self.interest[pair] = issues::interest(self.interest_base[pair], gains);
        }
        for (h, rise) in self.hardliners.iter_mut().zip(&self.hardliner_rise) {
            *h = (*h + rise).clamp(0.0, 1.0);
        }
        let keep = p.memory_decay;
        if self.hardline_memory.iter().any(|&x| x != 0.0) || !self.actions.is_empty() {
            for x in &mut self.hardline_memory {
                *x *= keep;
            }
            for &(i, j) in &self.actions {
                self.hardline_memory[i as usize * n + j as usize] += 1.0 - keep;
            }
        }
        for (c, r) in self.concessions.iter_mut().zip(&self.offers_received) {
            *c = keep * *c + (1.0 - keep) * r;
        }

        // §2.7 power.
        let mut grown = if self.power_history.len() as u64 > p.trend_window {
            self.power_history.remove(0)
        } else {
            vec![0.0; n]
        };
        for ((g, &x), st) in grown.iter_mut().zip(&self.power).zip(&s.states) {
            *g = power::grown(x, st.growth);
        }
        self.power.copy_from_slice(&grown);
        self.power_history.push(grown);
        self.step = now;
        self.measure();
    }

    /// An offer of size `size` from i to j on issue `issue`, its outcome and the
    /// third parties' reactions.
    fn offer(&mut self, i: usize, j: usize, size: f64, issue: Option<usize>) {
        let model = self.model;
        let p = model.params();
        let core = issue.is_some_and(|k| model.scenario.issues[k].core);
        let u = self.utility(i, j, size, core);
        self.offers_received[j] += 1.0;
        if self.rng.gen::<f64>() < u.probability() {
            self.push(i, j, p.deal_gain);
            self.record(
                EventKind::Offer,
                i,
                j,
                issue,
                Some(&u),
                Outcome::Reciprocated,
            );
            if let Some(k) = issue {
                if !self.resolved_now.contains(&(k as u32)) {
                    self.resolved_now.push(k as u32);
                    self.record(EventKind::Deal, i, j, Some(k), None, Outcome::None);
                }
            }
            self.react(i, j);
        } else {
            self.push(i, j, -p.rebuff_cost);
            self.hardliner_rise[i] += p.backlash;
            self.record(EventKind::Offer, i, j, issue, Some(&u), Outcome::Rebuffed);
        }
    }

    /// §2.5 the partners of j that are i's rivals answer j's reciprocation.
    fn react(&mut self, i: usize, j: usize) {
        let p = self.model.params();
        let partners: Vec<usize> = reacting_partners(&self.a, i, j).collect();
        for m in partners {
            match reaction(p, self.rng.gen()) {
                Reaction::Abandonment => {
                    self.push(j, m, -p.abandonment_cost);
                    self.record(EventKind::Abandonment, m, j, None, None, Outcome::None);
                }
                Reaction::CounterOffer => {
                    let u = self.utility(m, j, p.counter_offer_size, false);
                    let outcome = if self.rng.gen::<f64>() < u.probability() {
                        self.push(j, m, p.deal_gain);
                        Outcome::Reciprocated
                    } else {
                        self.push(j, m, -p.rebuff_cost);
                        Outcome::Rebuffed
                    };
                    self.record(EventKind::CounterOffer, m, j, None, Some(&u), outcome);
                }
                Reaction::Nothing => {}
            }
        }
    }

    /// §2.1–2.3: a ← clamp(a + dt·[balance·(1−a²)·B + relaxation·R] + events + noise).
    fn update_alignments(&mut self) {
        let model = self.model;
        let p = model.params();
        // Noise first, in pair order, from its own stream.
        if p.noise > 0.0 {
            normal::fill_standard_normal(&mut self.noise_rng, &mut self.normals);
        }
        // B's numerator and normalizer of every pair; with balance 0 both stay 0,
        // and so does B.
        if p.balance != 0.0 {
            let weights = &self.weights;
            if model.network.topology == Topology::Complete {
                balance::pair_sums(&self.a, weights, &mut self.dense, &mut self.sums);
            } else {
                for (k, (sum, &(i, j))) in self.sums.iter_mut().zip(&model.pairs).enumerate() {
                    let (i, j) = (i as usize, j as usize);
                    let common = model.common_neighbours(k);
                    *sum = balance::common_neighbour_sum(&self.a, weights, i, j, common);
                }
            }
            let total: f64 = weights.iter().sum();
            for (third, &(i, j)) in self.thirds.iter_mut().zip(&model.pairs) {
                let (wi, wj) = (weights[i as usize], weights[j as usize]);
                *third = balance::third_weight(total, wi, wj);
            }
        }
        // Every pair at once, in pair order: `delta` holds the events' changes on
        // the way in and the new alignments on the way out.
        update::update_pairs(
            p,
            update::PairTerms {
                alignments: &self.values,
                sums: &self.sums,
                thirds: &self.thirds,
                interests: &self.interest,
                normals: &self.normals,
            },
            &mut self.delta,
        );
        // The new alignments become the state; `delta` is cleared at the next step.
        std::mem::swap(&mut self.values, &mut self.delta);
        let cells = self.a.as_mut_slice();
        for (&x, &(ij, ji)) in self.values.iter().zip(&model.pair_cells) {
            cells[ij as usize] = x;
            cells[ji as usize] = x;
        }
    }
}
