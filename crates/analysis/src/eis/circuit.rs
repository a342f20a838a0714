//! The circuit language: impedance.py's string grammar parsed into a syntax tree.
//!
//! Grammar (whitespace is ignored):
//! ```text
//! circuit  := series
//! series   := term ('-' term)*
//! term     := 'p(' series (',' series)+ ')' | element
//! element  := PREFIX ID        e.g. R0, CPE1, Wo_bulk; PREFIX is an element kind, ID is [A-Za-z0-9_]+
//! ```
//! `-` joins in series, `p(a,b,..)` in parallel; parallel blocks nest. Element names must be unique.
//! Parameters are numbered in the order elements appear, each element's parameters in its kind's
//! order (the order impedance.py's flat `initial_guess` list uses). A one-parameter element's
//! parameter is named like the element (`R0`); the others as `CPE1.q`, `CPE1.alpha`, `Wo1.R`.
//!
//! ```
//! use spelab_analysis::eis::Circuit;
//! let c: Circuit = "R0-p(R1,CPE1)-Wo1".parse().unwrap();
//! assert_eq!(c.to_string(), "R0-p(R1,CPE1)-Wo1");
//! assert_eq!(c.param_names(), ["R0", "R1", "CPE1.q", "CPE1.alpha", "Wo1.R", "Wo1.tau"]);
//! let err = "R0-p(R1,X1)".parse::<Circuit>().unwrap_err();
//! assert_eq!(err.position, 8);
//! ```

use std::fmt;
use std::str::FromStr;

use num_complex::Complex64;

use super::element::{ElementKind, Omega, ParamSpec};
pub use super::node::{Element, Node};
use super::program::Program;

/// A parsed equivalent circuit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Circuit {
    root: Node,
    elements: Vec<Element>,
    program: Program,
}

/// Where and why a circuit string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("circuit '{text}': {message} at character {}\n  {text}\n  {:>width$}", position + 1, "^", width = position + 1)]
pub struct ParseError {
    /// The circuit string.
    pub text: String,
    /// Zero-based character index of the problem.
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

struct Parser<'a> {
    text: &'a str,
    chars: Vec<char>,
    pos: usize,
    elements: Vec<Element>,
}

impl Parser<'_> {
    fn error(&self, position: usize, message: impl Into<String>) -> ParseError {
        ParseError { text: self.text.to_string(), position, message: message.into() }
    }

    fn skip_ws(&mut self) {
        while self.pos < self.chars.len() && self.chars[self.pos].is_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.chars.get(self.pos).copied()
    }

    fn series(&mut self) -> Result<Node, ParseError> {
        let mut items = vec![self.term()?];
        while self.peek() == Some('-') {
            self.pos += 1;
            items.push(self.term()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Node::Series(items) })
    }

    fn term(&mut self) -> Result<Node, ParseError> {
        let start = match self.peek() {
            None => {
                return Err(self.error(self.chars.len(), "expected an element or 'p(' but the text ended"))
            }
            Some(_) => self.pos,
        };
        if self.chars[start] == 'p' && self.chars.get(start + 1) == Some(&'(') {
            self.pos += 2;
            let mut items = vec![self.series()?];
            loop {
                match self.peek() {
                    Some(',') => {
                        self.pos += 1;
                        items.push(self.series()?);
                    }
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        return Err(self.error(self.pos, format!("expected ',' or ')' but found '{c}'")))
                    }
                    None => return Err(self.error(self.chars.len(), "unclosed 'p(': expected ')'")),
                }
            }
            if items.len() < 2 {
                return Err(self.error(start, "a parallel block p(..) needs at least two branches"));
            }
            return Ok(Node::Parallel(items));
        }
        self.element()
    }

    fn element(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        let mut end = start;
        while end < self.chars.len() && (self.chars[end].is_ascii_alphanumeric() || self.chars[end] == '_') {
            end += 1;
        }
        if end == start {
            return Err(
                self.error(start, format!("expected an element name but found '{}'", self.chars[start]))
            );
        }
        let word: String = self.chars[start..end].iter().collect();
        let letters = word.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        // The longest alphabetic prefix naming a kind, so `CPE1` is a CPE and `Wo1` a Wo.
        let found = (1..=letters).rev().find_map(|n| ElementKind::from_prefix(&word[..n]).map(|k| (k, n)));
        let Some((kind, n)) = found else {
            return Err(self.error(
                start,
                format!(
                    "unknown element '{word}' (known: {})",
                    ElementKind::ALL.iter().map(|k| k.prefix()).collect::<Vec<_>>().join(", ")
                ),
            ));
        };
        let id = word[n..].to_string();
        if id.is_empty() {
            return Err(self.error(end, format!("element '{word}' needs an identifier, e.g. '{word}1'")));
        }
        let element = Element { kind, id };
        if self.elements.iter().any(|e| e.name() == element.name()) {
            return Err(self.error(start, format!("element '{}' appears twice", element.name())));
        }
        self.pos = end;
        self.elements.push(element.clone());
        Ok(Node::Element(element))
    }
}

impl FromStr for Circuit {
    type Err = ParseError;
    fn from_str(text: &str) -> Result<Self, ParseError> {
        let mut parser = Parser { text, chars: text.chars().collect(), pos: 0, elements: Vec::new() };
        let root = parser.series()?;
        if let Some(c) = parser.peek() {
            return Err(parser.error(parser.pos, format!("unexpected '{c}' after a complete circuit")));
        }
        let program = Program::compile(&root);
        Ok(Circuit { root, elements: parser.elements, program })
    }
}

impl fmt::Display for Circuit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.root)
    }
}

/// One parameter of a circuit, as the fit and the report see it.
#[derive(Debug, Clone, PartialEq)]
pub struct CircuitParam {
    /// Full name (`R0`, `CPE1.alpha`).
    pub name: String,
    /// Index of its element in [`Circuit::elements`].
    pub element: usize,
    /// What the parameter is.
    pub spec: ParamSpec,
}

impl Circuit {
    /// The syntax tree.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// Elements in the order they appear.
    pub fn elements(&self) -> &[Element] {
        &self.elements
    }

    /// Every parameter in order (the order of parameter vectors).
    pub fn params(&self) -> Vec<CircuitParam> {
        let mut out = Vec::new();
        for (index, e) in self.elements.iter().enumerate() {
            let specs = e.kind.params();
            for spec in specs {
                let name = if specs.len() == 1 { e.name() } else { format!("{}.{}", e.name(), spec.name) };
                out.push(CircuitParam { name, element: index, spec: *spec });
            }
        }
        out
    }

    /// Parameter names in order.
    pub fn param_names(&self) -> Vec<String> {
        self.params().into_iter().map(|p| p.name).collect()
    }

    /// Number of parameters.
    pub fn n_params(&self) -> usize {
        self.elements.iter().map(|e| e.kind.n_params()).sum()
    }

    /// Index of the parameter called `name`; `R0.R` is accepted for `R0`, and names compare
    /// case-insensitively after the element name (`CPE1.Alpha`).
    pub fn param_index(&self, name: &str) -> Option<usize> {
        let params = self.params();
        if let Some(i) = params.iter().position(|p| p.name == name) {
            return Some(i);
        }
        let (element, param) = name.split_once('.')?;
        params.iter().position(|p| {
            self.elements[p.element].name() == element && p.spec.name.eq_ignore_ascii_case(param)
        })
    }

    /// Impedance at angular frequency `omega` [rad/s] for parameters `p` [Ω]; writes dZ/dp into
    /// `grad` (length [`Self::n_params`]).
    pub fn impedance(&self, omega: f64, p: &[f64], grad: &mut [Complex64]) -> Complex64 {
        let mut stack = self.program.stack();
        self.program.eval::<true>(&Omega::new(omega), p, grad, &mut stack)
    }

    /// Impedance at each angular frequency [Ω], without derivatives.
    pub fn impedances(&self, omega: &[f64], p: &[f64]) -> Vec<Complex64> {
        let mut stack = self.program.stack();
        omega.iter().map(|&w| self.program.eval::<false>(&Omega::new(w), p, &mut [], &mut stack)).collect()
    }

    /// The circuit made of `root` alone (a subtree of a parsed circuit, so names are unique).
    pub(crate) fn from_node(root: Node) -> Circuit {
        fn collect(node: &Node, out: &mut Vec<Element>) {
            match node {
                Node::Element(e) => out.push(e.clone()),
                Node::Series(items) | Node::Parallel(items) => items.iter().for_each(|i| collect(i, out)),
            }
        }
        let mut elements = Vec::new();
        collect(&root, &mut elements);
        let program = Program::compile(&root);
        Circuit { root, elements, program }
    }

    /// The compiled evaluation program.
    pub(crate) fn program(&self) -> &Program {
        &self.program
    }
}
