//! A circuit compiled into a flat evaluation program: the syntax tree in postfix order with binary
//! series/parallel operations, evaluated with a small value stack, no recursion and no allocation per
//! frequency. Fits evaluate it thousands of times per spectrum.
//!
//! Each stack entry holds a sub-circuit's impedance and the range of parameters it owns (parameters of
//! a subtree are contiguous). Series: Z = Z_a + Z_b, derivatives unchanged. Parallel:
//! Z = Z_a Z_b / (Z_a + Z_b), and every derivative of branch a is scaled by dZ/dZ_a = (Z_b/(Z_a + Z_b))²
//! (b likewise); an n-branch block is folded pairwise, which is the same function.

use num_complex::Complex64;

use super::element::{ElementKind, Omega};
use super::node::Node;

/// One instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Push an element's impedance; its parameters start at `offset`.
    Element { kind: ElementKind, offset: usize, len: usize },
    /// Pop b and a, push a + b.
    Series,
    /// Pop b and a, push a ∥ b.
    Parallel,
}

/// A stack entry: impedance and the parameter range [start, end) it depends on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    z: Complex64,
    start: usize,
    end: usize,
}

/// The compiled circuit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Program {
    ops: Vec<Op>,
    /// Largest stack depth reached.
    depth: usize,
    n_params: usize,
}

impl Program {
    /// Compiles the tree rooted at `root`.
    pub(crate) fn compile(root: &Node) -> Program {
        fn emit(node: &Node, ops: &mut Vec<Op>, offset: &mut usize) {
            match node {
                Node::Element(e) => {
                    let len = e.kind.n_params();
                    ops.push(Op::Element { kind: e.kind, offset: *offset, len });
                    *offset += len;
                }
                Node::Series(items) | Node::Parallel(items) => {
                    let op = if matches!(node, Node::Series(_)) { Op::Series } else { Op::Parallel };
                    for (k, item) in items.iter().enumerate() {
                        emit(item, ops, offset);
                        if k > 0 {
                            ops.push(op);
                        }
                    }
                }
            }
        }
        let mut ops = Vec::new();
        let mut n_params = 0;
        emit(root, &mut ops, &mut n_params);
        let (mut depth, mut max) = (0usize, 0usize);
        for op in &ops {
            match op {
                Op::Element { .. } => depth += 1,
                _ => depth -= 1,
            }
            max = max.max(depth);
        }
        Program { ops, depth: max, n_params }
    }

    /// A stack large enough for this program (allocate once, reuse for every evaluation).
    pub(crate) fn stack(&self) -> Vec<Entry> {
        Vec::with_capacity(self.depth)
    }

    /// Number of parameters.
    pub(crate) fn n_params(&self) -> usize {
        self.n_params
    }

    /// Impedance at `w` for parameters `p`; with `GRAD`, dZ/dp into `grad` (length n_params),
    /// otherwise `grad` is not touched (may be empty).
    #[inline]
    pub(crate) fn eval<const GRAD: bool>(
        &self,
        w: &Omega,
        p: &[f64],
        grad: &mut [Complex64],
        stack: &mut Vec<Entry>,
    ) -> Complex64 {
        stack.clear();
        for op in &self.ops {
            match *op {
                Op::Element { kind, offset, len } => {
                    let end = offset + len;
                    let g: &mut [Complex64] = if GRAD { &mut grad[offset..end] } else { &mut [] };
                    let z = kind.eval::<GRAD>(w, &p[offset..end], g);
                    stack.push(Entry { z, start: offset, end });
                }
                Op::Series => {
                    let b = stack.pop().expect("compiled program");
                    let a = stack.last_mut().expect("compiled program");
                    a.z += b.z;
                    a.end = b.end;
                }
                Op::Parallel => {
                    let b = stack.pop().expect("compiled program");
                    let a = stack.last_mut().expect("compiled program");
                    let inv = 1.0 / (a.z + b.z);
                    let (za_over, zb_over) = (a.z * inv, b.z * inv);
                    if GRAD {
                        // dZ/dZ_a = (Z_b/(Z_a + Z_b))², dZ/dZ_b = (Z_a/(Z_a + Z_b))².
                        let (fa, fb) = (zb_over * zb_over, za_over * za_over);
                        grad[a.start..a.end].iter_mut().for_each(|g| *g *= fa);
                        grad[b.start..b.end].iter_mut().for_each(|g| *g *= fb);
                    }
                    a.z = if a.z == Complex64::new(0.0, 0.0) || b.z == Complex64::new(0.0, 0.0) {
                        Complex64::new(0.0, 0.0) // a short circuit in parallel
                    } else {
                        a.z * zb_over
                    };
                    a.end = b.end;
                }
            }
        }
        stack[0].z
    }
}
