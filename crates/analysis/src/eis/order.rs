//! Arc ordering: a circuit with interchangeable blocks (`R0-p(R1,CPE1)-p(R2,CPE2)`: two parallel blocks
//! of the same shape in series) has the same χ² for both labellings, so different starts may end at
//! label-swapped optima. Fits put such blocks in a canonical order, increasing time constant (the
//! first block is the highest-frequency arc), so `R1` always names the fast arc.
//!
//! A block's time constant is τ = 1/ω_apex with ω_apex the angular frequency of the maximum of
//! −Z''_block, found on a grid of 20 points per decade (10⁻¹²…10¹² rad/s) and refined by a parabola
//! in ln ω; for p(R, C) that is RC, for p(R, CPE) (RQ)^(1/α). Blocks without a capacitive apex, and
//! blocks holding a fixed parameter, keep their place.

use std::ops::Range;

use super::circuit::{Circuit, Node};

/// A top-level parallel block and the range of its parameters.
type Block = (Node, Range<usize>);

/// Parameter ranges of the top-level series items that are parallel blocks, grouped by shape (only
/// groups of two or more).
pub(crate) fn interchangeable_blocks(circuit: &Circuit) -> Vec<Vec<Block>> {
    let Node::Series(items) = circuit.root() else { return Vec::new() };
    let mut groups: Vec<(String, Vec<Block>)> = Vec::new();
    let mut offset = 0;
    for item in items {
        let len = n_params(item);
        if matches!(item, Node::Parallel(_)) {
            let key = shape(item);
            let entry = (item.clone(), offset..offset + len);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, g)) => g.push(entry),
                None => groups.push((key, vec![entry])),
            }
        }
        offset += len;
    }
    groups.into_iter().filter(|(_, g)| g.len() > 1).map(|(_, g)| g).collect()
}

fn n_params(node: &Node) -> usize {
    match node {
        Node::Element(e) => e.kind.n_params(),
        Node::Series(items) | Node::Parallel(items) => items.iter().map(n_params).sum(),
    }
}

/// The node printed with element kinds only (`p(R,CPE)`), so blocks of the same shape compare equal.
fn shape(node: &Node) -> String {
    match node {
        Node::Element(e) => e.kind.prefix().to_string(),
        Node::Series(items) => items.iter().map(shape).collect::<Vec<_>>().join("-"),
        Node::Parallel(items) => format!("p({})", items.iter().map(shape).collect::<Vec<_>>().join(",")),
    }
}

/// Time constant [s] of `block` with parameters `p` (see the module documentation), NaN without a
/// capacitive apex inside the grid.
pub(crate) fn block_tau(block: &Node, p: &[f64]) -> f64 {
    let circuit = Circuit::from_node(block.clone());
    let ln_w: Vec<f64> = (-240..=240).map(|k| k as f64 / 20.0 * std::f64::consts::LN_10).collect();
    let omega: Vec<f64> = ln_w.iter().map(|l| l.exp()).collect();
    let neg_im: Vec<f64> = circuit.impedances(&omega, p).iter().map(|z| -z.im).collect();
    let Some(k) = (1..neg_im.len() - 1).max_by(|&a, &b| neg_im[a].total_cmp(&neg_im[b])) else {
        return f64::NAN;
    };
    let (l, c, r) = (neg_im[k - 1], neg_im[k], neg_im[k + 1]);
    if !(c > 0.0 && c >= l && c >= r) || k == 1 || k == neg_im.len() - 2 {
        return f64::NAN;
    }
    let denom = l - 2.0 * c + r;
    let shift = if denom < 0.0 { 0.5 * (l - r) / denom } else { 0.0 };
    let step = ln_w[1] - ln_w[0];
    1.0 / (ln_w[k] + shift * step).exp()
}

/// The permutation (new index → old index) that orders every group of interchangeable blocks of
/// `circuit` by increasing τ at parameters `p`; identity where nothing moves. Blocks containing a
/// parameter flagged in `fixed` stay in place.
pub(crate) fn arc_order(circuit: &Circuit, p: &[f64], fixed: &[bool]) -> Vec<usize> {
    let mut perm: Vec<usize> = (0..p.len()).collect();
    for group in interchangeable_blocks(circuit) {
        let movable: Vec<&Block> =
            group.iter().filter(|(_, r)| !fixed[r.clone()].iter().any(|f| *f)).collect();
        if movable.len() < 2 {
            continue;
        }
        let taus: Vec<f64> = movable.iter().map(|(node, r)| block_tau(node, &p[r.clone()])).collect();
        if taus.iter().any(|t| !t.is_finite()) {
            continue;
        }
        let mut sorted: Vec<usize> = (0..movable.len()).collect();
        sorted.sort_by(|&a, &b| taus[a].total_cmp(&taus[b]));
        // Slot s (in circuit order) receives the parameters of the block with the s-th smallest τ.
        for (slot, &from) in sorted.iter().enumerate() {
            let (to_range, from_range) = (movable[slot].1.clone(), movable[from].1.clone());
            for (t, f) in to_range.zip(from_range) {
                perm[t] = f;
            }
        }
    }
    perm
}
