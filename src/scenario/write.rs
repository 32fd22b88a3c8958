//! The canonical form of a scenario: the five files, sorted, with every parameter
//! resolved. A run's `scenario/` folder holds it, so that `entente run OUT/scenario`
//! redoes the run; its hash identifies a sweep's scenario in `manifest.json`.

use std::io::{self, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::params::ParamValue;
use super::{IssueChoice, Scenario};

impl Scenario {
    /// The five files as `(file name, bytes)`, in canonical order.
    pub fn canonical_files(&self) -> Vec<(&'static str, Vec<u8>)> {
        let f = |x: f64| ParamValue::render(&x);
        let id = |i: usize| self.states[i].id.as_str();
        let mut states = csv::Writer::from_writer(Vec::new());
        let mut alignments = csv::Writer::from_writer(Vec::new());
        let mut issues = csv::Writer::from_writer(Vec::new());
        let mut policies = csv::Writer::from_writer(Vec::new());
        let mut params = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail; the csv writer only fails on I/O.
        let ok = "writing CSV to memory";
        states.write_record(super::STATE_COLUMNS).expect(ok);
        for s in &self.states {
            states
                .write_record([
                    &s.id,
                    &s.name,
                    &f(s.power),
                    &f(s.growth),
                    &f(s.revisionism),
                    &f(s.hardliners),
                    &f(s.hedging),
                ])
                .expect(ok);
        }
        alignments
            .write_record(["a", "b", "alignment", "interest"])
            .expect(ok);
        for r in &self.alignments {
            alignments
                .write_record([id(r.a), id(r.b), &f(r.alignment), &f(r.interest)])
                .expect(ok);
        }
        issues
            .write_record(["id", "a", "b", "salience", "core"])
            .expect(ok);
        for i in &self.issues {
            issues
                .write_record([
                    i.id.as_str(),
                    id(i.a),
                    id(i.b),
                    &f(i.salience),
                    if i.core { "true" } else { "false" },
                ])
                .expect(ok);
        }
        policies
            .write_record([
                "start", "actor", "target", "stance", "end", "issue", "offer", "every",
            ])
            .expect(ok);
        for p in &self.policies {
            let issue = match p.issue {
                IssueChoice::Issue(k) => self.issues[k].id.clone(),
                IssueChoice::Class(c) => c.to_string(),
            };
            policies
                .write_record([
                    &p.start.to_string(),
                    id(p.actor),
                    id(p.target),
                    &p.stance.to_string(),
                    &p.end.map(|e| e.to_string()).unwrap_or_default(),
                    &issue,
                    &f(p.offer),
                    &p.every.to_string(),
                ])
                .expect(ok);
        }
        params.write_record(["key", "value"]).expect(ok);
        for (k, v) in self.params.entries() {
            params.write_record([k, &v]).expect(ok);
        }
        let done = |w: csv::Writer<Vec<u8>>| w.into_inner().expect(ok);
        vec![
            ("states.csv", done(states)),
            ("alignments.csv", done(alignments)),
            ("issues.csv", done(issues)),
            ("policies.csv", done(policies)),
            ("params.csv", done(params)),
        ]
    }

    /// Writes the canonical files into `dir` (which must exist).
    pub fn write_canonical(&self, dir: &Path) -> io::Result<()> {
        for (name, bytes) in self.canonical_files() {
            std::fs::File::create(dir.join(name))?.write_all(&bytes)?;
        }
        Ok(())
    }

    /// SHA-256 of the canonical files, in hex: the scenario's identity.
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        for (name, bytes) in self.canonical_files() {
            h.update(name.as_bytes());
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}
