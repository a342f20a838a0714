//! BPX function strings ([`Expression`]): Python-syntax expressions in one variable `x` (numbers,
//! `+ - * / **`, unary signs, parentheses, `exp`, `tanh`, `cosh`: the BPX schema's set, which PyBaMM
//! evaluates with `from pybamm import exp, tanh, cosh`), parsed once and evaluated as often as a
//! model needs. Precedence and associativity are Python's: `-x**2` is `-(x**2)` and `2**3**2` is
//! `2**(3**2)`.
//!
//! ```
//! use spelab_sim::fullcell::bpx::Expression;
//! let u = Expression::parse("3.4077 - 0.020269*x + 0.5*exp(-150*x) - 0.9*exp(-30*(1 - x))")?;
//! let x: f64 = 0.5;
//! let exact = 3.4077 - 0.020269 * x + 0.5 * (-150.0 * x).exp() - 0.9 * (-30.0 * (1.0 - x)).exp();
//! assert_eq!(u.eval(x), exact);
//! assert!(Expression::parse("2*y").is_err());
//! # Ok::<(), spelab_sim::fullcell::bpx::ExpressionError>(())
//! ```

use std::fmt;

/// Why a function string could not be parsed: the message and the byte offset in the string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}': {message} at byte {offset}")]
pub struct ExpressionError {
    /// The whole expression.
    pub text: String,
    /// What is wrong.
    pub message: String,
    /// Byte offset of the problem in `text`.
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Number(f64),
    X,
    Neg(Box<Node>),
    Add(Box<Node>, Box<Node>),
    Sub(Box<Node>, Box<Node>),
    Mul(Box<Node>, Box<Node>),
    Div(Box<Node>, Box<Node>),
    Pow(Box<Node>, Box<Node>),
    Call(Func, Box<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Exp,
    Tanh,
    Cosh,
}

/// A parsed BPX function of `x` (module docs).
#[derive(Clone, PartialEq)]
pub struct Expression {
    text: String,
    root: Node,
}

impl fmt::Debug for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expression({:?})", self.text)
    }
}

impl Expression {
    /// Parses `text` (module docs for the grammar).
    pub fn parse(text: &str) -> Result<Expression, ExpressionError> {
        let mut p = Parser { s: text.as_bytes(), i: 0, text };
        let root = p.sum()?;
        p.skip_space();
        if p.i < p.s.len() {
            return Err(p.error("unexpected character"));
        }
        Ok(Expression { text: text.to_string(), root })
    }

    /// The text it was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The value at `x` (may be non-finite where the function is: `x**0.5` at x < 0).
    pub fn eval(&self, x: f64) -> f64 {
        eval(&self.root, x)
    }
}

fn eval(n: &Node, x: f64) -> f64 {
    match n {
        Node::Number(v) => *v,
        Node::X => x,
        Node::Neg(a) => -eval(a, x),
        Node::Add(a, b) => eval(a, x) + eval(b, x),
        Node::Sub(a, b) => eval(a, x) - eval(b, x),
        Node::Mul(a, b) => eval(a, x) * eval(b, x),
        Node::Div(a, b) => eval(a, x) / eval(b, x),
        // powf is C's pow, as Python's float `**`.
        Node::Pow(a, b) => eval(a, x).powf(eval(b, x)),
        Node::Call(f, a) => {
            let v = eval(a, x);
            match f {
                Func::Exp => v.exp(),
                Func::Tanh => v.tanh(),
                Func::Cosh => v.cosh(),
            }
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> ExpressionError {
        ExpressionError { text: self.text.to_string(), message: message.to_string(), offset: self.i }
    }

    fn skip_space(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.s.get(self.i).copied()
    }

    fn starts_with(&mut self, t: &str) -> bool {
        self.skip_space();
        self.s[self.i..].starts_with(t.as_bytes())
    }

    /// sum := product (('+' | '-') product)*
    fn sum(&mut self) -> Result<Node, ExpressionError> {
        let mut left = self.product()?;
        loop {
            match self.peek() {
                Some(b'+') => {
                    self.i += 1;
                    left = Node::Add(Box::new(left), Box::new(self.product()?));
                }
                Some(b'-') => {
                    self.i += 1;
                    left = Node::Sub(Box::new(left), Box::new(self.product()?));
                }
                _ => return Ok(left),
            }
        }
    }

    /// product := unary (('*' | '/') unary)*   ('**' is power, not a product)
    fn product(&mut self) -> Result<Node, ExpressionError> {
        let mut left = self.unary()?;
        loop {
            if self.starts_with("**") {
                return Err(self.error("misplaced '**'"));
            }
            match self.peek() {
                Some(b'*') => {
                    self.i += 1;
                    left = Node::Mul(Box::new(left), Box::new(self.unary()?));
                }
                Some(b'/') => {
                    self.i += 1;
                    left = Node::Div(Box::new(left), Box::new(self.unary()?));
                }
                _ => return Ok(left),
            }
        }
    }

    /// unary := ('-' | '+') unary | power
    fn unary(&mut self) -> Result<Node, ExpressionError> {
        match self.peek() {
            Some(b'-') => {
                self.i += 1;
                Ok(Node::Neg(Box::new(self.unary()?)))
            }
            Some(b'+') => {
                self.i += 1;
                self.unary()
            }
            _ => self.power(),
        }
    }

    /// power := atom ('**' unary)?
    fn power(&mut self) -> Result<Node, ExpressionError> {
        let base = self.atom()?;
        if self.starts_with("**") {
            self.i += 2;
            let exponent = self.unary()?;
            return Ok(Node::Pow(Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    /// atom := number | 'x' | name '(' sum ')' | '(' sum ')'
    fn atom(&mut self) -> Result<Node, ExpressionError> {
        match self.peek() {
            None => Err(self.error("unexpected end")),
            Some(b'(') => {
                self.i += 1;
                let inner = self.sum()?;
                if self.peek() != Some(b')') {
                    return Err(self.error("expected ')'"));
                }
                self.i += 1;
                Ok(inner)
            }
            Some(c) if c.is_ascii_digit() || c == b'.' => self.number(),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.i;
                while self.i < self.s.len()
                    && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
                {
                    self.i += 1;
                }
                let name = &self.text[start..self.i];
                let func = match name {
                    "x" => return Ok(Node::X),
                    "exp" => Func::Exp,
                    "tanh" => Func::Tanh,
                    "cosh" => Func::Cosh,
                    _ => {
                        self.i = start;
                        return Err(self.error(&format!(
                            "unknown name '{name}' (BPX functions use x, exp, tanh and cosh)"
                        )));
                    }
                };
                if self.peek() != Some(b'(') {
                    return Err(self.error(&format!("expected '(' after {name}")));
                }
                self.i += 1;
                let arg = self.sum()?;
                if self.peek() != Some(b')') {
                    return Err(self.error("expected ')'"));
                }
                self.i += 1;
                Ok(Node::Call(func, Box::new(arg)))
            }
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn number(&mut self) -> Result<Node, ExpressionError> {
        let start = self.i;
        let digits = |p: &mut Self| {
            while p.i < p.s.len() && p.s[p.i].is_ascii_digit() {
                p.i += 1;
            }
        };
        digits(self);
        if self.i < self.s.len() && self.s[self.i] == b'.' {
            self.i += 1;
            digits(self);
        }
        if self.i < self.s.len() && (self.s[self.i] == b'e' || self.s[self.i] == b'E') {
            let mark = self.i;
            self.i += 1;
            if self.i < self.s.len() && (self.s[self.i] == b'+' || self.s[self.i] == b'-') {
                self.i += 1;
            }
            let exp_start = self.i;
            digits(self);
            if self.i == exp_start {
                self.i = mark;
                return Err(self.error("malformed exponent"));
            }
        }
        let t = &self.text[start..self.i];
        t.parse::<f64>().map(Node::Number).map_err(|_| {
            self.i = start;
            self.error(&format!("malformed number '{t}'"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t: &str, x: f64) -> f64 {
        Expression::parse(t).unwrap().eval(x)
    }

    #[test]
    fn python_precedence_and_associativity() {
        assert_eq!(ev("-x**2", 3.0), -9.0);
        assert_eq!(ev("2**3**2", 0.0), 512.0);
        assert_eq!(ev("2**-1", 0.0), 0.5);
        assert_eq!(ev("1 - 2 - 3", 0.0), -4.0);
        assert_eq!(ev("8 / 4 / 2", 0.0), 1.0);
        assert_eq!(ev("2*x+1", 2.0), 5.0);
        assert_eq!(ev("(1 + x)*(1 - x)", 0.5), 0.75);
        assert_eq!(ev("+.5e1 + 1E-1", 0.0), 5.1);
        assert_eq!(ev("x**0.5", 4.0), 2.0);
    }

    #[test]
    fn functions_of_the_schema() {
        let x: f64 = 0.3;
        assert_eq!(ev("exp(x)", x), x.exp());
        assert_eq!(ev("tanh(29.8538*(x - 0.1234))", x), (29.8538 * (x - 0.1234)).tanh());
        assert_eq!(ev("cosh(-x)", x), (-x).cosh());
        // The shared files' Li-metal j0 (PyBaMM's Xu2019 at c_Li = 1/1.3e-5 mol/m3).
        let j0 = ev("3.5e-8*96485.33212*76923.0769**0.7*x**0.3", 1200.0);
        assert!(
            (j0 / (3.5e-8 * 96485.33212 * 76923.0769f64.powf(0.7) * 1200f64.powf(0.3)) - 1.0).abs() < 1e-15
        );
    }

    #[test]
    fn errors_name_the_offset() {
        for (t, at) in
            [("2*y", 2), ("exp x", 4), ("(1 + x", 6), ("1 +", 3), ("1e+", 1), ("x $ 1", 2), ("sin(x)", 0)]
        {
            let e = Expression::parse(t).unwrap_err();
            assert_eq!(e.offset, at, "{t}: {e}");
        }
        assert!(Expression::parse("x ** ** 2").is_err());
        assert!(Expression::parse("").is_err());
    }
}
