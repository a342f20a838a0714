//! The circuit syntax tree: [`Element`]s in series and parallel [`Node`]s, printed in impedance.py's
//! string grammar. Parsed by [`super::circuit`], compiled for evaluation by the program module.

use std::fmt;

use super::element::ElementKind;

/// One element of a circuit: its kind and its identifier (`1` in `CPE1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The element kind.
    pub kind: ElementKind,
    /// The identifier after the kind's prefix.
    pub id: String,
}

impl Element {
    /// Full name as written in the circuit (`CPE1`).
    pub fn name(&self) -> String {
        format!("{}{}", self.kind.prefix(), self.id)
    }
}

/// A node of the circuit syntax tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A single element.
    Element(Element),
    /// Two or more nodes in series.
    Series(Vec<Node>),
    /// Two or more nodes in parallel.
    Parallel(Vec<Node>),
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Element(e) => write!(f, "{}{}", e.kind.prefix(), e.id),
            Node::Series(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str("-")?;
                    }
                    write!(f, "{item}")?;
                }
                Ok(())
            }
            Node::Parallel(items) => {
                f.write_str("p(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(")")
            }
        }
    }
}
