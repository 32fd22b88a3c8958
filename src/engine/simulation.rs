//! One run: the state of the world and the synchronous step (docs/model.md §2).
//!
//! Every rule reads the state at the start of the step; the changes it causes are
//! collected (alignment deltas, hardliner rises, issues resolved or breached,
//! hardline actions remembered) and applied together at the end, so the order of
//! the rules never changes a result. Random draws are taken in a canonical order:
//! policies (sorted), then states (by id), then issues (by id); noise has its own
//! stream.
//!
//! One file (about 640 lines) because the step is one procedure read top to
//! bottom in the model's order, over state that every part of it shares.

use nalgebra::DMatrix;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::events::{Event, EventKind, Outcome};
use super::model::Model;
use super::normal;
use super::observer::Observer;
use super::rng::{NoiseRng, RunId, Stream};
use crate::dynamics::reactions::{reacting_partners, reaction, Reaction};
use crate::dynamics::reciprocity::{self, Offer, TargetContext, Utility};
use crate::dynamics::{self, approach, balance, issues, power, revisionism, update};
use crate::scenario::params::{Topology, Weighting};
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
    /// Offers each state received recently (moving average): C of §2.9.
    concessions: Vec<f64>,
    /// Each state's aggression probability per month and per step, and the
    /// concessions they were computed for (NaN: not yet).
    aggression: Vec<(f64, f64, f64)>,
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
    /// This step's hardline actions that the mistrust memory remembers.
    actions: Vec<(u32, u32)>,
    offers_received: Vec<f64>,
    resolved_now: Vec<u32>,
    breached_now: Vec<u32>,
}

/// Cells of the hardline memory: n² (i's actions against j at `i * n + j`) for
/// the complete topology; two per pair for listed, whose actions always go along
/// a tie (`2k` from the smaller state of pair k, `2k + 1` from the larger).
fn memory_cells(model: &Model) -> usize {
    match model.state_ties {
        Some(_) => 2 * model.pairs.len(),
        None => model.state_count() * model.state_count(),
    }
}

/// The hardline memory cell of i's actions against j (see [`memory_cells`]).
fn memory_cell(model: &Model, i: usize, j: usize) -> Option<usize> {
    match model.state_ties {
        Some(_) => model.pair_index(i, j).map(|k| 2 * k + usize::from(i > j)),
        None => Some(i * model.state_count() + j),
    }
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
            hardline_memory: vec![0.0; memory_cells(model)],
            concessions: vec![0.0; n],
            aggression: vec![(f64::NAN, 0.0, 0.0); n],
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

    /// The compiled model being run.
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
    /// Each state's power P, by state index.
    pub fn power(&self) -> &[f64] {
        &self.power
    }
    /// Power shares among the engaged states.
    pub fn shares(&self) -> &[f64] {
        &self.share
    }
    /// Each state's hardliners h, in [0, 1], by state index.
    pub fn hardliners(&self) -> &[f64] {
        &self.hardliners
    }
    /// Relative power trend per month of each state (positive when rising); T = −trend.
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

    /// Listed topology: the ties of state `i` as (other state, alignment), others
    /// in increasing order; `None` for the complete topology.
    pub fn listed_ties(&self, i: usize) -> Option<Vec<(usize, f64)>> {
        let ties = self.model.state_ties(i)?;
        Some(
            ties.iter()
                .map(|&(m, p)| (m as usize, self.values[p as usize]))
                .collect(),
        )
    }

    /// The first value of the state that is not a finite number, named: a guard
    /// for the writers, since the checks at load keep valid input finite.
    pub fn non_finite(&self) -> Option<String> {
        let s = &self.model.scenario;
        let bad = |x: &f64| !x.is_finite();
        if let Some(k) = self.values.iter().position(bad) {
            return Some(format!("the alignment of {}", self.model.pair_key(k)));
        }
        for (what, values) in [("power", &self.power), ("hardliners", &self.hardliners)] {
            if let Some(i) = values.iter().position(bad) {
                return Some(format!("the {what} of {}", s.states[i].id));
            }
        }
        None
    }

    fn memory_cell(&self, i: usize, j: usize) -> Option<usize> {
        memory_cell(self.model, i, j)
    }

    /// U of an offer from `actor` to `target` in the current state, term by term.
    pub fn utility(&self, actor: usize, target: usize, size: f64, core: bool) -> Utility {
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
                hardline_memory: self
                    .memory_cell(actor, target)
                    .map_or(0.0, |c| self.hardline_memory[c]),
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
            *engaged = party
                || match self.model.state_ties(k) {
                    Some(ties) => ties.iter().any(|&(_, p)| self.values[p as usize] != 0.0),
                    None => dynamics::ties(&self.a, k).iter().any(|&x| x != 0.0),
                };
        }
        let engaged_sum = |values: &[f64]| -> f64 {
            let both = self.engaged.iter().zip(values);
            both.filter(|(&e, _)| e).map(|(_, &x)| x).sum()
        };
        let past = &self.power_history[0];
        let (total, past_total) = (engaged_sum(&self.power), engaged_sum(past));
        let window = (self.power_history.len() - 1) as u64;
        let periods = self.model.rates.periods;
        let states = self.engaged.iter().zip(&self.power).zip(past);
        let outputs = self
            .share
            .iter_mut()
            .zip(&mut self.trend)
            .zip(&mut self.weights);
        for (((&engaged, &power), &past), ((share, trend), weight)) in states.zip(outputs) {
            if engaged && total > 0.0 {
                *share = power / total;
                *trend = power::trend(past / past_total, *share, window, periods);
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

    /// Adds the event change `x` to the kicks of (i, j) this step, if they evolve
    /// together (kicks combine in the latent tie: `update::kick`).
    fn push(&mut self, i: usize, j: usize, x: f64) {
        if let Some(k) = self.model.pair_index(i, j) {
            self.delta[k] = update::kick(self.delta[k], x);
        }
    }

    /// The probability that a resolved issue of (i, j) is breached this step: the
    /// monthly probability of `issues::breach_probability` over a step of dt.
    fn breach_probability(&self, i: usize, j: usize) -> f64 {
        let monthly = issues::breach_probability(self.model.params(), self.a[(i, j)]);
        dynamics::time::step_probability(monthly, self.model.rates.periods)
    }

    /// Remembers a hardline action of i against j in M, if its source is remembered.
    fn remember(&mut self, i: usize, j: usize, policy: bool) {
        if self.model.params().memory_sources.remembers(policy) {
            self.actions.push((i as u32, j as u32));
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
        let rates = &model.rates;
        let n = s.states.len();
        let now = self.step + 1;
        self.events.clear();
        self.delta.fill(0.0);
        self.hardliner_rise.fill(0.0);
        self.offers_received.fill(0.0);
        self.actions.clear();
        self.resolved_now.clear();
        self.breached_now.clear();

        // §2.5 policies: offers, reciprocation, reactions; hardline actions; backlash.
        for (q, policy) in s.policies.iter().enumerate() {
            if !self.active[q] || !approach::in_window(policy, now) {
                continue;
            }
            let (i, j) = (policy.actor, policy.target);
            if approach::acts_at(policy, now) {
                match policy.stance {
                    Stance::Hardline => {
                        self.push(i, j, -p.hardline_impact);
                        self.remember(i, j, true);
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
                if keep >= rates.commitment {
                    self.active[q] = false;
                    self.record(EventKind::ApproachEnd, i, j, None, None, Outcome::None);
                }
            }
        }

        // §2.9 revisionist actions.
        for j in 0..n {
            let listed = model.state_ties(j).map(|ties| {
                let values = &self.values;
                ties.iter()
                    .map(move |&(m, p)| (m as usize, values[p as usize]))
            });
            let has_rival = match listed.clone() {
                Some(mut ties) => ties.any(|(_, x)| x < 0.0),
                None => revisionism::has_rival(&self.a, j),
            };
            if !has_rival {
                continue;
            }
            // The probability changes only with the state's concessions, which
            // stay put for most states: recomputed (an `exp`) only when they move.
            let concessions = self.concessions[j];
            let (seen, monthly, prob) = &mut self.aggression[j];
            if seen.to_bits() != concessions.to_bits() {
                let revisionism = s.states[j].revisionism;
                *monthly = revisionism::aggression_probability(p, revisionism, concessions);
                *prob = dynamics::time::step_probability(*monthly, rates.periods);
                *seen = concessions;
            }
            let (monthly, prob) = (*monthly, *prob);
            if self.rng.gen::<f64>() < prob {
                let u: f64 = self.rng.gen();
                let rival = match listed {
                    Some(ties) => revisionism::pick_rival_among(ties, u),
                    None => revisionism::pick_rival(&self.a, j, u),
                };
                if let Some(m) = rival {
                    self.push(j, m, -p.hardline_impact);
                    self.remember(j, m, false);
                    self.events.push(Event {
                        step: now,
                        kind: EventKind::Aggression,
                        actor: j as u32,
                        target: m as u32,
                        issue: None,
                        utility: revisionism::aggression_utility(
                            p,
                            s.states[j].revisionism,
                            concessions,
                            monthly,
                        ),
                        probability: prob,
                        outcome: Outcome::None,
                    });
                }
            }
        }

        // §2.6 breaches of resolved issues.
        if p.breach > 0.0 || p.breach_hostility > 0.0 {
            for k in 0..s.issues.len() {
                let (i, j) = (s.issues[k].a, s.issues[k].b);
                if !self.open[k] && self.rng.gen::<f64>() < self.breach_probability(i, j) {
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

        // §2.1–2.4 the continuous update of every evolving pair, plus event deltas.
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
        let baselines = s.states.iter().map(|x| x.hardliners);
        let hardliners = self.hardliners.iter_mut().zip(baselines);
        for ((h, baseline), rise) in hardliners.zip(&self.hardliner_rise) {
            *h = approach::hardliners_after(*h, baseline, rates.hardliner_keep, *rise);
        }
        // Moving averages: each step keeps `memory_keep` of them, each event adds
        // the weight it has per month, whatever dt.
        let (keep, weight) = (rates.memory_keep, 1.0 - p.memory_decay);
        let memory = &mut self.hardline_memory;
        if memory.iter().any(|&x| x != 0.0) || !self.actions.is_empty() {
            for x in memory.iter_mut() {
                *x *= keep;
            }
        }
        for &(i, j) in &self.actions {
            // An action's actor and target always share a tie: a cell exists.
            if let Some(c) = memory_cell(model, i as usize, j as usize) {
                self.hardline_memory[c] += weight;
            }
        }
        for (c, r) in self.concessions.iter_mut().zip(&self.offers_received) {
            *c = keep * *c + weight * r;
        }

        // §2.9 power.
        let mut grown = if self.power_history.len() as u64 > p.trend_window {
            self.power_history.remove(0)
        } else {
            vec![0.0; n]
        };
        for ((g, &x), &factor) in grown.iter_mut().zip(&self.power).zip(&model.growth_factor) {
            *g = power::grown(x, factor);
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

    /// §2.8 the partners of j that are i's rivals answer j's reciprocation.
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

    /// §2.1–2.4: a ← clamp(a + dt·[G·(1−a²)·B + relaxation·R] + noise) ⊕ events.
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
                // Σ_m w_m a_im a_mj over the common neighbours, as
                // `balance::common_neighbour_sum` sums it, read in pair order.
                let values = &self.values;
                for (k, sum) in self.sums.iter_mut().enumerate() {
                    let common = model.common_neighbours(k).iter();
                    *sum = common
                        .map(|&[m, im, mj]| {
                            weights[m as usize] * values[im as usize] * values[mj as usize]
                        })
                        .sum();
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
                gains: &model.balance_gain,
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
