//! Reading numbers and unit expressions.
//!
//! A unit's size is kept as `mantissa × 10^pow10` so that decimal prefixes stay exact: the power of
//! ten is folded into the number's decimal text before it is converted to `f64` ("100 um" is read as
//! "100e-6"), and only non-decimal factors (3600 s/h, e, N_A) cost a rounding.

use super::{Dimension, Quantity, UnitError};
use crate::constants::{AVOGADRO, ELEMENTARY_CHARGE, HOUR, ZERO_CELSIUS};

/// How a unit maps to SI: `si = value × mantissa × 10^pow10 + offset`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Scale {
    pub(super) mantissa: f64,
    pub(super) pow10: i32,
    pub(super) offset: f64,
}

impl Scale {
    const ONE: Scale = Scale { mantissa: 1.0, pow10: 0, offset: 0.0 };
    const CELSIUS: Scale = Scale { mantissa: 1.0, pow10: 0, offset: ZERO_CELSIUS };

    /// Size of one unit in SI.
    pub(super) fn factor(self) -> f64 {
        times_pow10(self.mantissa, self.pow10)
    }

    /// A value in this unit to SI.
    pub(super) fn to_si(self, value: f64) -> f64 {
        times_pow10(value, self.pow10) * self.mantissa + self.offset
    }

    /// An SI value to this unit.
    pub(super) fn to_unit(self, si: f64) -> f64 {
        times_pow10((si - self.offset) / self.mantissa, -self.pow10)
    }
}

/// `x × 10^k`, dividing by the exact power for negative `k` so that the result is correctly rounded.
fn times_pow10(x: f64, k: i32) -> f64 {
    let power = 10f64.powi(k.abs());
    if k >= 0 {
        x * power
    } else {
        x / power
    }
}

/// A decimal number as written: its digits (with sign and point) and its decimal exponent.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Number {
    digits: String,
    exp10: i32,
}

impl Number {
    /// The number times `10^shift`, correctly rounded; `None` if it overflows to infinity.
    pub(super) fn value(&self, shift: i32) -> Option<f64> {
        let exponent = self.exp10.checked_add(shift)?;
        let v: f64 = format!("{}e{exponent}", self.digits).parse().ok()?;
        v.is_finite().then_some(v)
    }
}

/// Splits a leading decimal number ("-5", ".5", "1e-3", "2E6") off `text`; `None` if there is none.
/// An 'e' not followed by digits belongs to the unit ("5eV").
pub(super) fn split_number(text: &str) -> Option<(Number, &str)> {
    let mut rest = text;
    let mut digits = String::new();
    if let Some(r) = strip_sign(rest, &mut digits) {
        rest = r;
    }
    let int = leading_digits(rest);
    rest = &rest[int.len()..];
    let mut frac = "";
    if let Some(r) = rest.strip_prefix('.') {
        frac = leading_digits(r);
        if !(int.is_empty() && frac.is_empty()) {
            rest = &r[frac.len()..];
        }
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    digits.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        digits.push('.');
        digits.push_str(frac);
    }
    let mut exp10 = 0;
    if let Some(r) = rest.strip_prefix(['e', 'E']) {
        let mut sign = String::new();
        let r = strip_sign(r, &mut sign).unwrap_or(r);
        let e = leading_digits(r);
        if !e.is_empty() {
            exp10 = format!("{sign}{e}").parse().ok()?;
            rest = &r[e.len()..];
        }
    }
    Some((Number { digits, exp10 }, rest))
}

/// Strips a leading '+', '-' or '−' (U+2212), pushing '-' to `sign` for a minus.
fn strip_sign<'a>(text: &'a str, sign: &mut String) -> Option<&'a str> {
    let c = text.chars().next()?;
    match c {
        '+' => Some(&text[1..]),
        '-' | '\u{2212}' => {
            sign.push('-');
            Some(&text[c.len_utf8()..])
        }
        _ => None,
    }
}

fn leading_digits(text: &str) -> &str {
    let end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    &text[..end]
}

/// Checks `unit` against the quantity and returns how it maps to SI. `input` is quoted in errors.
///
/// An empty unit is a bare number (allowed for fractions and plain numbers); a lone "C" means °C for
/// a temperature and 1C for a C-rate; an energy is taken per particle for an activation energy.
pub(super) fn resolve(quantity: Quantity, unit: &str, input: &str) -> Result<Scale, UnitError> {
    let unit = unit.trim();
    let mismatch = || UnitError::Mismatch {
        expected: quantity.name(),
        unit: unit.to_string(),
        input: input.to_string(),
    };
    if unit.is_empty() {
        return match quantity {
            Quantity::Fraction | Quantity::Dimensionless => Ok(Scale::ONE),
            _ => Err(UnitError::MissingUnit { expected: quantity.name(), input: input.to_string() }),
        };
    }
    match (quantity, unit) {
        (Quantity::CRate, "C") => return Ok(Scale::ONE),
        (Quantity::CRate, _) => return Err(mismatch()),
        (Quantity::Temperature, "C") => return Ok(Scale::CELSIUS),
        _ => {}
    }
    let term = parse_expression(unit, input)?;
    if term.dimension == quantity.dimension() {
        Ok(term.scale)
    } else if quantity == Quantity::ActivationEnergy && term.dimension == Dimension::ENERGY {
        Ok(Scale { mantissa: term.scale.mantissa * AVOGADRO, ..term.scale })
    } else {
        Err(mismatch())
    }
}

/// A parsed (sub)expression.
#[derive(Debug, Clone, Copy)]
pub(super) struct Term {
    pub(super) scale: Scale,
    pub(super) dimension: Dimension,
    /// Number of unit factors, to reject an offset unit with company.
    factors: u32,
    /// The offset unit in this term, if any.
    offset_unit: Option<&'static str>,
}

impl Term {
    const ONE: Term = Term { scale: Scale::ONE, dimension: Dimension::NONE, factors: 0, offset_unit: None };

    fn times(self, other: Term, exponent: i32) -> Term {
        Term {
            scale: Scale {
                mantissa: self.scale.mantissa * other.scale.mantissa.powi(exponent),
                pow10: self.scale.pow10.saturating_add(other.scale.pow10.saturating_mul(exponent)),
                offset: other.scale.offset,
            },
            dimension: self.dimension * other.dimension.powi(exponent),
            factors: self.factors + other.factors.max(1),
            offset_unit: self.offset_unit.or(other.offset_unit),
        }
    }
}

/// Parses a whole unit expression (already trimmed). `input` is quoted in errors.
pub(super) fn parse_expression(unit: &str, input: &str) -> Result<Term, UnitError> {
    if unit.is_empty() {
        return Err(UnitError::Empty);
    }
    let mut parser = ExpressionParser { chars: unit.chars().collect(), pos: 0, input };
    let term = parser.group(0)?;
    match term.offset_unit {
        Some(symbol) if term.factors > 1 => {
            Err(UnitError::OffsetInCompound { unit: symbol.to_string(), input: input.to_string() })
        }
        _ => Ok(term),
    }
}

struct ExpressionParser<'a> {
    chars: Vec<char>,
    pos: usize,
    input: &'a str,
}

impl ExpressionParser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn syntax(&self, problem: &'static str) -> UnitError {
        UnitError::Syntax { problem, input: self.input.to_string() }
    }

    /// Factors up to the end or a closing parenthesis; after the first '/' all are in the denominator.
    fn group(&mut self, depth: u32) -> Result<Term, UnitError> {
        let mut term = Term::ONE;
        let mut denominator = false;
        let mut after_slash = false;
        while let Some(c) = self.peek() {
            if c.is_whitespace() || matches!(c, '*' | '·' | '⋅' | '.') {
                self.pos += 1;
                continue;
            }
            if c == ')' {
                if depth == 0 {
                    return Err(self.syntax("unbalanced parenthesis"));
                }
                break;
            }
            if c == '/' {
                if after_slash {
                    return Err(self.syntax("two '/' in a row"));
                }
                self.pos += 1;
                denominator = true;
                after_slash = true;
                continue;
            }
            let (factor, text) = if c == '(' {
                self.pos += 1;
                let inner = self.group(depth + 1)?;
                if self.peek() != Some(')') {
                    return Err(self.syntax("unbalanced parenthesis"));
                }
                self.pos += 1;
                if inner.factors == 0 {
                    return Err(self.syntax("empty parentheses"));
                }
                (inner, String::from(")"))
            } else if c == '1' && !self.peek_at(1).is_some_and(|n| n.is_ascii_digit()) {
                self.pos += 1;
                (Term::ONE, String::from("1"))
            } else if c.is_ascii_digit() {
                return Err(self.syntax("a number where a unit was expected"));
            } else if is_symbol_char(c) {
                self.symbol()?
            } else {
                return Err(UnitError::UnexpectedChar { found: c, input: self.input.to_string() });
            };
            let exponent = self.exponent(&text)?;
            let exponent = if denominator { -exponent } else { exponent };
            if let Some(symbol) = factor.offset_unit {
                if exponent != 1 || depth > 0 {
                    return Err(UnitError::OffsetInCompound {
                        unit: symbol.to_string(),
                        input: self.input.to_string(),
                    });
                }
            }
            term = term.times(factor, exponent);
            after_slash = false;
        }
        if after_slash {
            return Err(self.syntax("no unit after '/'"));
        }
        Ok(term)
    }

    /// One unit symbol ("mAh", "°C", "wt%"), looked up.
    fn symbol(&mut self) -> Result<(Term, String), UnitError> {
        let start = self.pos;
        while self.peek().is_some_and(is_symbol_char) {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        match lookup(&text) {
            Some(term) => Ok((term, text)),
            None => Err(UnitError::UnknownUnit { unit: text, input: self.input.to_string() }),
        }
    }

    /// An optional exponent: "2", "-2", "^2", "^-1", "²", "⁻¹"; 1 if none.
    fn exponent(&mut self, unit: &str) -> Result<i32, UnitError> {
        let bad = || UnitError::BadExponent { unit: unit.to_string(), input: self.input.to_string() };
        let (negative, superscript) = match self.peek() {
            Some('^') => {
                self.pos += 1;
                let negative = self.take_if(|c| matches!(c, '-' | '−'));
                if !negative {
                    self.take_if(|c| c == '+');
                }
                (negative, false)
            }
            Some(c) if c.is_ascii_digit() => (false, false),
            Some('-' | '−') if self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) => {
                self.pos += 1;
                (true, false)
            }
            Some(c) if c == '⁻' || c == '⁺' || superscript_digit(c).is_some() => {
                let negative = self.take_if(|c| c == '⁻');
                if !negative {
                    self.take_if(|c| c == '⁺');
                }
                (negative, true)
            }
            _ => return Ok(1),
        };
        let digit = |c: char| if superscript { superscript_digit(c) } else { c.to_digit(10) };
        let mut value: i32 = 0;
        let mut count = 0;
        while let Some(d) = self.peek().and_then(digit) {
            value = value.saturating_mul(10).saturating_add(d as i32);
            count += 1;
            self.pos += 1;
        }
        if count == 0 || value == 0 || value > 12 {
            return Err(bad());
        }
        Ok(if negative { -value } else { value })
    }

    fn take_if(&mut self, f: impl Fn(char) -> bool) -> bool {
        let hit = self.peek().is_some_and(f);
        if hit {
            self.pos += 1;
        }
        hit
    }
}

fn is_symbol_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '%' | '°' | '℃' | 'Ω')
}

fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '⁰' => Some(0),
        '¹' => Some(1),
        '²' => Some(2),
        '³' => Some(3),
        '⁴'..='⁹' => Some(c as u32 - '⁴' as u32 + 4),
        _ => None,
    }
}

/// One entry of the unit table.
struct UnitDef {
    symbol: &'static str,
    mantissa: f64,
    pow10: i32,
    offset: f64,
    dimension: Dimension,
    prefixable: bool,
}

const fn def(symbol: &'static str, mantissa: f64, pow10: i32, dimension: Dimension) -> UnitDef {
    UnitDef { symbol, mantissa, pow10, offset: 0.0, dimension, prefixable: true }
}

const fn plain(symbol: &'static str, mantissa: f64, pow10: i32, dimension: Dimension) -> UnitDef {
    UnitDef { symbol, mantissa, pow10, offset: 0.0, dimension, prefixable: false }
}

const fn celsius(symbol: &'static str) -> UnitDef {
    let dimension = Dimension::new(0, 0, 0, 0, 1, 0);
    UnitDef { symbol, mantissa: 1.0, pow10: 0, offset: ZERO_CELSIUS, dimension, prefixable: false }
}

const NONE: Dimension = Dimension::NONE;
const METRE: Dimension = Dimension::new(1, 0, 0, 0, 0, 0);
const KILOGRAM: Dimension = Dimension::new(0, 1, 0, 0, 0, 0);
const SECOND: Dimension = Dimension::new(0, 0, 1, 0, 0, 0);
const AMPERE: Dimension = Dimension::new(0, 0, 0, 1, 0, 0);
const KELVIN: Dimension = Dimension::new(0, 0, 0, 0, 1, 0);
const MOLE: Dimension = Dimension::new(0, 0, 0, 0, 0, 1);
const VOLT: Dimension = Dimension::new(2, 1, -3, -1, 0, 0);
const OHM: Dimension = Dimension::new(2, 1, -3, -2, 0, 0);
const SIEMENS: Dimension = Dimension::new(-2, -1, 3, 2, 0, 0);
const COULOMB: Dimension = Dimension::new(0, 0, 1, 1, 0, 0);
const FARAD: Dimension = Dimension::new(-2, -1, 4, 2, 0, 0);
const JOULE: Dimension = Dimension::ENERGY;
const WATT: Dimension = Dimension::new(2, 1, -3, 0, 0, 0);
const HERTZ: Dimension = Dimension::new(0, 0, -1, 0, 0, 0);
const CUBIC_METRE: Dimension = Dimension::new(3, 0, 0, 0, 0, 0);
const MOLAR: Dimension = Dimension::new(-3, 0, 0, 0, 0, 1);

/// Unit symbols; an exact match wins over prefix + symbol.
const UNITS: &[UnitDef] = &[
    def("m", 1.0, 0, METRE),
    def("g", 1.0, -3, KILOGRAM),
    def("s", 1.0, 0, SECOND),
    plain("min", 60.0, 0, SECOND),
    plain("h", HOUR, 0, SECOND),
    def("A", 1.0, 0, AMPERE),
    def("K", 1.0, 0, KELVIN),
    def("mol", 1.0, 0, MOLE),
    def("V", 1.0, 0, VOLT),
    def("ohm", 1.0, 0, OHM),
    def("Ohm", 1.0, 0, OHM),
    def("Ω", 1.0, 0, OHM),        // U+03A9 Greek capital omega
    def("\u{2126}", 1.0, 0, OHM), // U+2126 ohm sign
    def("S", 1.0, 0, SIEMENS),
    def("C", 1.0, 0, COULOMB),
    def("F", 1.0, 0, FARAD),
    def("J", 1.0, 0, JOULE),
    def("W", 1.0, 0, WATT),
    def("eV", ELEMENTARY_CHARGE, 0, JOULE),
    def("cal", 4.184, 0, JOULE), // thermochemical calorie, for kcal/mol
    def("Hz", 1.0, 0, HERTZ),
    def("Ah", HOUR, 0, COULOMB),
    def("Wh", HOUR, 0, JOULE),
    def("L", 1.0, -3, CUBIC_METRE),
    def("l", 1.0, -3, CUBIC_METRE),
    def("M", 1.0, 3, MOLAR),
    plain("%", 1.0, -2, NONE),
    plain("wt%", 1.0, -2, NONE),
    plain("vol%", 1.0, -2, NONE),
    plain("mol%", 1.0, -2, NONE),
    plain("ppm", 1.0, -6, NONE),
    celsius("degC"),
    celsius("°C"),
    celsius("℃"),
];

/// SI prefixes; 'u', 'µ' (U+00B5) and 'μ' (U+03BC) all mean micro.
const PREFIXES: &[(char, i32)] = &[
    ('p', -12),
    ('n', -9),
    ('u', -6),
    ('\u{b5}', -6),
    ('\u{3bc}', -6),
    ('m', -3),
    ('c', -2),
    ('d', -1),
    ('k', 3),
    ('M', 6),
    ('G', 9),
];

/// Looks a symbol up: exactly, else as a prefix followed by a prefixable symbol.
fn lookup(symbol: &str) -> Option<Term> {
    let term = |u: &UnitDef, prefix: i32| Term {
        scale: Scale { mantissa: u.mantissa, pow10: u.pow10 + prefix, offset: u.offset },
        dimension: u.dimension,
        factors: 1,
        offset_unit: (u.offset != 0.0).then_some(u.symbol),
    };
    if let Some(u) = UNITS.iter().find(|u| u.symbol == symbol) {
        return Some(term(u, 0));
    }
    let mut chars = symbol.chars();
    let first = chars.next()?;
    let &(_, prefix) = PREFIXES.iter().find(|(c, _)| *c == first)?;
    let rest = chars.as_str();
    UNITS.iter().find(|u| u.prefixable && u.symbol == rest).map(|u| term(u, prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Option<(f64, &str)> {
        split_number(text).map(|(n, rest)| (n.value(0).unwrap(), rest))
    }

    #[test]
    fn splits_numbers_from_units() {
        assert_eq!(number("0.2 mA/cm2"), Some((0.2, " mA/cm2")));
        assert_eq!(number("0.2mA"), Some((0.2, "mA")));
        assert_eq!(number("1e-3 S/cm"), Some((1e-3, " S/cm")));
        assert_eq!(number("2E6Hz"), Some((2e6, "Hz")));
        assert_eq!(number("5eV"), Some((5.0, "eV")));
        assert_eq!(number("-5 mV"), Some((-5.0, " mV")));
        assert_eq!(number("\u{2212}5 mV"), Some((-5.0, " mV")));
        assert_eq!(number("+.5"), Some((0.5, "")));
        assert_eq!(number("5."), Some((5.0, "")));
        assert_eq!(number("1,5 V"), Some((1.0, ",5 V")));
        assert_eq!(number("mV"), None);
        assert_eq!(number(".V"), None);
        assert_eq!(number("-"), None);
    }

    #[test]
    fn exponents_in_every_spelling() {
        let area = Quantity::Area.dimension();
        for unit in ["cm2", "cm^2", "cm²", "cm^+2", "cm cm", "cm·cm", "cm*cm", "cm.cm"] {
            let term = parse_expression(unit, unit).unwrap();
            assert_eq!((term.dimension, term.scale.pow10, term.scale.mantissa), (area, -4, 1.0), "{unit}");
        }
        let per_area = area.powi(-1);
        for unit in ["cm-2", "cm^-2", "cm⁻²", "cm−2", "1/cm2", "/cm^2"] {
            let term = parse_expression(unit, unit).unwrap();
            assert_eq!((term.dimension, term.scale.pow10), (per_area, 4), "{unit}");
        }
    }

    #[test]
    fn exact_symbols_win_over_prefixes() {
        assert_eq!(lookup("min").unwrap().scale.mantissa, 60.0);
        assert_eq!(lookup("mol").unwrap().dimension, MOLE);
        assert_eq!(lookup("M").unwrap().dimension, MOLAR);
        assert_eq!(lookup("mM").unwrap().scale.pow10, 0);
        assert_eq!(lookup("MV").unwrap().scale.pow10, 6);
        assert_eq!(lookup("kg").unwrap().scale.pow10, 0);
        assert_eq!(lookup("mAh").unwrap().scale.mantissa, HOUR);
        assert!(lookup("kmin").is_none());
        assert!(lookup("m%").is_none());
        assert!(lookup("mdegC").is_none());
    }
}
