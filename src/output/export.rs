//! Export of a run's network at one step to GraphML (Gephi, yEd, networkx, igraph)
//! and Graphviz DOT, read back from the run's output folder (`alignments.csv`,
//! `states.csv` and `scenario/states.csv`, as `entente run` writes them) by the
//! shared reader of output folders ([`crate::output::read`]).
//!
//! Nodes carry the state's id, name, power, hardliners and camp (by the leading
//! eigenvector of the alignments at that step, as in a run's summary); edges carry
//! the alignment, its sign (+1, −1, or 0 for exactly 0), its weight |alignment| and
//! the interest. Numbers are written in the same shortest round-trip form as the
//! run's CSV files, so an exported alignment reads back as the same f64.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use nalgebra::DMatrix;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

use super::read::{self, ReadError};
use super::xml;
use crate::format::f64_text;
use crate::network::camps::camps;

/// Ties weaker than this are left out of DOT drawings by default ([`to_dot`]).
pub const DOT_MIN_ABS: f64 = 0.05;

/// A state at the exported step.
#[derive(Clone, Debug, PartialEq)]
pub struct StateNode {
    /// The state's id (`USA`).
    pub id: String,
    /// The state's full name, from the run's `scenario/states.csv`.
    pub name: String,
    /// Its power P at the step.
    pub power: f64,
    /// Its hardliners h at the step, in [0, 1].
    pub hardliners: f64,
    /// 0 or 1: the eigenvector camp at this step.
    pub camp: u8,
}

/// A pair's tie at the exported step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TieEdge {
    /// The alignment a at the step, in [−1, 1].
    pub alignment: f64,
    /// NaN when the run left it empty.
    pub interest: f64,
}

impl TieEdge {
    /// +1 (friends), −1 (rivals) or 0 (exactly indifferent).
    pub fn sign(&self) -> i8 {
        if self.alignment > 0.0 {
            1
        } else if self.alignment < 0.0 {
            -1
        } else {
            0
        }
    }
}

/// A run's network at one step.
#[derive(Clone, Debug)]
pub struct ExportedNetwork {
    /// The run folder's name (labels the graph).
    pub name: String,
    /// The step exported (0: the initial state).
    pub step: u64,
    /// Nodes in the run's state order, edges in its pair order.
    pub graph: UnGraph<StateNode, TieEdge>,
}

/// Why a run's network could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A file of the run folder is missing or malformed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A row names a state that the run's scenario does not have.
    #[error("{}:{line}: state `{id}` is not in scenario/states.csv", path.display())]
    UnknownState {
        /// The file of the row.
        path: PathBuf,
        /// The row's line number, from 1.
        line: u64,
        /// The id it names.
        id: String,
    },
    /// `states.csv` has no row for a state at the step exported.
    #[error("{}: no row for state `{id}` at step {step}", path.display())]
    MissingState {
        /// The run's `states.csv`.
        path: PathBuf,
        /// The state's id.
        id: String,
        /// The step exported.
        step: u64,
    },
    /// The step asked for is not among the run's.
    #[error("step {step} is not in the run: {} has steps {first} to {last}", path.display())]
    StepNotFound {
        /// The step asked for.
        step: u64,
        /// The run's `states.csv`.
        path: PathBuf,
        /// The run's first step.
        first: u64,
        /// The run's last step.
        last: u64,
    },
}

/// Reads the network of the run in folder `out` at `step` (the final step when
/// `None`), with the shared reader of output folders ([`crate::output::read`]).
///
/// # Errors
/// A missing or malformed file (named, with the line), a state unknown to
/// `scenario/states.csv`, or a step the run does not have (naming the step and the
/// steps it has).
///
/// # Complexity
/// One streaming pass over `alignments.csv` and `states.csv`; memory for one step.
pub fn read_network(out: &Path, step: Option<u64>) -> Result<ExportedNetwork, ExportError> {
    // The states, in the run's order.
    let mut nodes: Vec<StateNode> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (id, name) in read::run::scenario_states(out)? {
        index.insert(id.clone(), nodes.len());
        nodes.push(StateNode {
            id,
            name,
            power: f64::NAN,
            hardliners: f64::NAN,
            camp: 0,
        });
    }
    let lookup = |path: &Path, id: &str, line: u64| {
        index
            .get(id)
            .copied()
            .ok_or_else(|| ExportError::UnknownState {
                path: path.to_path_buf(),
                line,
                id: id.to_string(),
            })
    };

    // Power and hardliners at the chosen step: rows come in step order, so for the
    // final step keep the block of the largest step seen so far. states.csv has a
    // row for every state at every step (alignments.csv may have no pairs).
    let path = out.join("states.csv");
    let mut seen = vec![false; nodes.len()];
    let mut found = false;
    let mut range: Option<(u64, u64)> = None;
    read::run::states::<ExportError>(out, |row, line| {
        let s = row.step;
        let (first, last) = range.unwrap_or((s, s));
        let keep = match step {
            Some(t) => s == t,
            None => {
                if s > last {
                    seen.iter_mut().for_each(|x| *x = false);
                }
                s >= last
            }
        };
        range = Some((first.min(s), last.max(s)));
        if keep {
            let i = lookup(&path, row.state, line)?;
            nodes[i].power = row.power;
            nodes[i].hardliners = row.hardliners;
            seen[i] = true;
            found = true;
        }
        Ok(())
    })?;
    let Some((first, last)) = range else {
        return Err(ReadError::invalid(&path, "no rows").into());
    };
    let step = step.unwrap_or(last);
    if !found {
        return Err(ExportError::StepNotFound {
            step,
            path,
            first,
            last,
        });
    }
    if let Some(i) = seen.iter().position(|s| !s) {
        return Err(ExportError::MissingState {
            path,
            id: nodes[i].id.clone(),
            step,
        });
    }

    // The ties at that step.
    let path = out.join("alignments.csv");
    let mut ties: Vec<(usize, usize, TieEdge)> = Vec::new();
    read::run::alignments::<ExportError>(out, |row, line| {
        if row.step == step {
            let a = lookup(&path, row.a, line)?;
            let b = lookup(&path, row.b, line)?;
            let tie = TieEdge {
                alignment: row.alignment,
                interest: row.interest,
            };
            ties.push((a, b, tie));
        }
        Ok(())
    })?;

    // Camps of the alignments at that step.
    let n = nodes.len();
    let mut dense = DMatrix::zeros(n, n);
    for &(a, b, t) in &ties {
        dense[(a, b)] = t.alignment;
        dense[(b, a)] = t.alignment;
    }
    let power: Vec<f64> = nodes.iter().map(|s| s.power).collect();
    let c = camps(&dense, &power);
    let mut graph = UnGraph::with_capacity(n, ties.len());
    for (node, camp) in nodes.into_iter().zip(c.eigen) {
        graph.add_node(StateNode { camp, ..node });
    }
    for (a, b, t) in ties {
        graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), t);
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    Ok(ExportedNetwork { name, step, graph })
}

/// `s` as a quoted DOT string.
fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The network as GraphML: every state a node (id = state id; data name, power,
/// hardliners, camp), every pair an edge (data alignment, sign, weight =
/// |alignment|, interest). All edges are kept, however weak. Undefined (NaN)
/// values are left out.
///
/// # Complexity
/// O(n + pairs).
pub fn to_graphml(net: &ExportedNetwork) -> String {
    let g = &net.graph;
    let mut x = String::with_capacity(256 + 160 * (g.node_count() + g.edge_count()));
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for (id, target, kind) in [
        ("step", "graph", "long"),
        ("name", "node", "string"),
        ("power", "node", "double"),
        ("hardliners", "node", "double"),
        ("camp", "node", "int"),
        ("alignment", "edge", "double"),
        ("sign", "edge", "int"),
        ("weight", "edge", "double"),
        ("interest", "edge", "double"),
    ] {
        let _ = writeln!(
            x,
            "  <key id=\"{id}\" for=\"{target}\" attr.name=\"{id}\" attr.type=\"{kind}\"/>"
        );
    }
    let _ = writeln!(
        x,
        "  <graph id=\"{}\" edgedefault=\"undirected\">",
        xml::escape(&format!("{}-step-{}", net.name, net.step))
    );
    let _ = writeln!(x, "    <data key=\"step\">{}</data>", net.step);
    let data = |x: &mut String, key: &str, value: f64| {
        if !value.is_nan() {
            let _ = writeln!(x, "      <data key=\"{key}\">{}</data>", f64_text(value));
        }
    };
    for s in g.node_weights() {
        let _ = writeln!(x, "    <node id=\"{}\">", xml::escape(&s.id));
        let _ = writeln!(
            x,
            "      <data key=\"name\">{}</data>",
            xml::escape(&s.name)
        );
        data(&mut x, "power", s.power);
        data(&mut x, "hardliners", s.hardliners);
        let _ = writeln!(x, "      <data key=\"camp\">{}</data>", s.camp);
        x.push_str("    </node>\n");
    }
    for (k, e) in g.edge_references().enumerate() {
        let t = e.weight();
        let _ = writeln!(
            x,
            "    <edge id=\"e{k}\" source=\"{}\" target=\"{}\">",
            xml::escape(&g[e.source()].id),
            xml::escape(&g[e.target()].id)
        );
        data(&mut x, "alignment", t.alignment);
        let _ = writeln!(x, "      <data key=\"sign\">{}</data>", t.sign());
        data(&mut x, "weight", t.alignment.abs());
        data(&mut x, "interest", t.interest);
        x.push_str("    </edge>\n");
    }
    x.push_str("  </graph>\n</graphml>\n");
    x
}

/// The network as a Graphviz DOT drawing, leaving out ties weaker than
/// [`DOT_MIN_ABS`] (see [`to_dot_with`]).
pub fn to_dot(net: &ExportedNetwork) -> String {
    to_dot_with(net, DOT_MIN_ABS)
}

/// The network as an undirected Graphviz DOT graph for `neato`: nodes labelled
/// with the state id (the name is the tooltip), filled by camp (blue camp 0, orange
/// camp 1), circles of diameter 0.5 + √(power / largest power) inches; edges green and solid when positive, red and dashed when negative, with
/// penwidth 0.5 + 4·|alignment|. Edges with |alignment| < `min_abs` are left out
/// (0 keeps all). Every node and edge also carries its values as attributes
/// (power, hardliners, camp; alignment, sign, interest), which Graphviz ignores
/// and other readers keep.
///
/// # Complexity
/// O(n + pairs).
pub fn to_dot_with(net: &ExportedNetwork, min_abs: f64) -> String {
    let g = &net.graph;
    let mut x = String::with_capacity(256 + 160 * (g.node_count() + g.edge_count()));
    let _ = writeln!(
        x,
        "graph {} {{",
        dot_quote(&format!("{} step {}", net.name, net.step))
    );
    let _ = writeln!(
        x,
        "  label={};",
        dot_quote(&format!("{} — step {}", net.name, net.step))
    );
    x.push_str("  layout=neato;\n  overlap=false;\n  splines=true;\n");
    x.push_str(
        "  node [shape=circle, fixedsize=true, style=filled, fontname=\"Helvetica\", fontsize=10];\n",
    );
    let largest = g
        .node_weights()
        .map(|s| s.power)
        .filter(|p| p.is_finite())
        .fold(0.0_f64, f64::max);
    let num = |v: f64| {
        if v.is_nan() {
            "\"\"".to_string()
        } else {
            f64_text(v)
        }
    };
    for s in g.node_weights() {
        let width = if largest > 0.0 && s.power.is_finite() && s.power > 0.0 {
            0.5 + 1.0 * (s.power / largest).sqrt()
        } else {
            0.5
        };
        let fill = if s.camp == 0 { "#9ecae1" } else { "#fdae6b" };
        let _ = writeln!(
            x,
            "  {} [label={}, tooltip={}, fillcolor=\"{fill}\", width={width:.3}, power={}, hardliners={}, camp={}];",
            dot_quote(&s.id),
            dot_quote(&s.id),
            dot_quote(&s.name),
            num(s.power),
            num(s.hardliners),
            s.camp
        );
    }
    for e in g.edge_references() {
        let t = e.weight();
        if t.alignment.abs() < min_abs {
            continue;
        }
        let (color, style) = match t.sign() {
            1 => ("#1b7837", "solid"),
            -1 => ("#b2182b", "dashed"),
            _ => ("#888888", "dotted"),
        };
        let _ = writeln!(
            x,
            "  {} -- {} [color=\"{color}\", style={style}, penwidth={:.3}, alignment={}, sign={}, interest={}];",
            dot_quote(&g[e.source()].id),
            dot_quote(&g[e.target()].id),
            0.5 + 4.0 * t.alignment.abs(),
            num(t.alignment),
            t.sign(),
            num(t.interest)
        );
    }
    x.push_str("}\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> ExportedNetwork {
        let mut graph = UnGraph::new_undirected();
        let a = graph.add_node(StateNode {
            id: "A".into(),
            name: "Alpha & \"Omega\" <Co>".into(),
            power: 2.0,
            hardliners: 0.5,
            camp: 0,
        });
        let b = graph.add_node(StateNode {
            id: "B".into(),
            name: "Beta".into(),
            power: 0.5,
            hardliners: 0.25,
            camp: 1,
        });
        let c = graph.add_node(StateNode {
            id: "C".into(),
            name: "Gamma".into(),
            power: 1.0,
            hardliners: 0.0,
            camp: 1,
        });
        graph.add_edge(
            a,
            b,
            TieEdge {
                alignment: -0.75,
                interest: -0.5,
            },
        );
        graph.add_edge(
            b,
            c,
            TieEdge {
                alignment: 0.01,
                interest: f64::NAN,
            },
        );
        ExportedNetwork {
            name: "test".into(),
            step: 3,
            graph,
        }
    }

    #[test]
    fn graphml_escapes_and_keeps_every_edge() {
        let x = to_graphml(&net());
        assert!(x.contains("<data key=\"name\">Alpha &amp; &quot;Omega&quot; &lt;Co&gt;</data>"));
        assert_eq!(x.matches("<edge ").count(), 2);
        assert!(x.contains("<data key=\"alignment\">-0.75</data>"));
        assert!(x.contains("<data key=\"sign\">-1</data>"));
        assert!(x.contains("<data key=\"weight\">0.75</data>"));
        // the NaN interest of B–C is left out: only A–B's interest is there
        assert_eq!(x.matches("<data key=\"interest\">").count(), 1);
    }

    #[test]
    fn dot_colours_by_sign_and_drops_weak_ties() {
        let d = to_dot(&net());
        assert_eq!(d.matches(" -- ").count(), 1, "{d}");
        // A–B: penwidth 0.5 + 4·0.75 = 3.5, red, dashed
        assert!(d.contains(
            "\"A\" -- \"B\" [color=\"#b2182b\", style=dashed, penwidth=3.500, alignment=-0.75, sign=-1, interest=-0.5];"
        ));
        assert!(d.contains("label=\"A\", tooltip=\"Alpha & \\\"Omega\\\" <Co>\""));
        assert_eq!(to_dot_with(&net(), 0.0).matches(" -- ").count(), 2);
    }
}
