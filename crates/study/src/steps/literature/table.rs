//! Reading the SPE benchmark table (`spe_benchmarks.csv` columns): a comma-separated file with a
//! header row, fields optionally in double quotes (`""` inside a quoted field is one quote, commas
//! inside quotes belong to the field), one record per line. A row with the wrong number of fields,
//! an unclosed quote or a number that does not parse is an error naming `file:line`.

use std::path::Path;

use anyhow::{bail, Context};

/// One published electrolyte (one row), numbers in the table's units (blank = `None`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    /// Unique id of the row (`key`).
    pub key: String,
    /// Host polymer and filler, joined for the table ("PVDF-HFP (PVH) + In-MOF").
    pub system: String,
    /// Ionic conductivity [S/cm].
    pub sigma_s_cm: Option<f64>,
    /// Temperature of σ [°C].
    pub sigma_t_c: Option<f64>,
    /// Activation energy [eV].
    pub ea_ev: Option<f64>,
    /// Critical current density [mA/cm²].
    pub ccd_ma_cm2: Option<f64>,
    /// Cumulative capacity as stated [mAh/cm²].
    pub cumulative_mah_cm2: Option<f64>,
    /// Symmetric-cell current [mA/cm²] and hours of the headline test.
    pub sym: (Option<f64>, Option<f64>),
    /// DOI (may be blank).
    pub doi: String,
    /// Where the values were read, when there is no DOI.
    pub value_source: String,
    /// `file:line` of the row.
    pub origin: String,
}

impl Row {
    /// Cumulative capacity [mAh/cm²] and whether it was derived as j × t from the symmetric-cell
    /// columns (the table's README allows it, labelled derived).
    pub fn cumulative(&self) -> Option<(f64, bool)> {
        match (self.cumulative_mah_cm2, self.sym) {
            (Some(q), _) => Some((q, false)),
            (None, (Some(j), Some(h))) => Some((j * h, true)),
            _ => None,
        }
    }

    /// The reference: "doi:…" or the value source.
    pub fn reference(&self) -> String {
        if self.doi.is_empty() {
            self.value_source.clone()
        } else {
            format!("doi:{}", self.doi)
        }
    }
}

/// The columns a table must have; the others (`salt`, `notes`, ...) are read past.
const REQUIRED: [&str; 9] = [
    "key",
    "host_polymer",
    "sigma_s_cm",
    "ea_ev",
    "ccd_ma_cm2",
    "sym_current_ma_cm2",
    "sym_hours",
    "cumulative_capacity_mah_cm2",
    "doi",
];

/// Splits one CSV line into fields; `None` on an unclosed quote.
fn split(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    (!quoted).then(|| {
        fields.push(field);
        fields
    })
}

/// Reads the table in `text` (from `path`, for messages).
pub(super) fn parse(text: &str, path: &Path) -> anyhow::Result<Vec<Row>> {
    let name = path.display();
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else { bail!("{name}: empty table (no header row)") };
    let header: Vec<String> = split(header.trim_start_matches('\u{feff}'))
        .with_context(|| format!("{name}:1: unclosed quote in the header"))?
        .into_iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |key: &str| header.iter().position(|h| h == key);
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|k| column(k).is_none()).collect();
    if !missing.is_empty() {
        bail!("{name}:1: missing column(s) {} (the columns of spe_benchmarks.csv)", missing.join(", "));
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        let origin = format!("{name}:{}", i + 1);
        let fields = split(line).with_context(|| format!("{origin}: unclosed quote"))?;
        if fields.len() != header.len() {
            bail!("{origin}: {} fields, the header has {}", fields.len(), header.len());
        }
        let text = |key: &str| column(key).map_or(String::new(), |c| fields[c].trim().to_string());
        let number = |key: &str| -> anyhow::Result<Option<f64>> {
            let t = text(key);
            if t.is_empty() {
                return Ok(None);
            }
            match t.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Some(x)),
                _ => bail!("{origin}: column {key}: '{t}' is not a number"),
            }
        };
        let key = text("key");
        if key.is_empty() {
            bail!("{origin}: empty key");
        }
        let filler = text("filler");
        let host = text("host_polymer");
        let system = match filler.as_str() {
            "" | "none" => host,
            f => format!("{host} + {f}"),
        };
        rows.push(Row {
            key,
            system,
            sigma_s_cm: number("sigma_s_cm")?,
            sigma_t_c: number("sigma_t_c")?,
            ea_ev: number("ea_ev")?,
            ccd_ma_cm2: number("ccd_ma_cm2")?,
            cumulative_mah_cm2: number("cumulative_capacity_mah_cm2")?,
            sym: (number("sym_current_ma_cm2")?, number("sym_hours")?),
            doi: text("doi"),
            value_source: text("value_source"),
            origin,
        });
    }
    Ok(rows)
}

/// Reads the table at `path`.
pub(super) fn read(path: &Path) -> anyhow::Result<Vec<Row>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "key,host_polymer,filler,sigma_S_cm,sigma_T_C,ea_eV,ccd_mA_cm2,sym_current_mA_cm2,\
                          sym_hours,cumulative_capacity_mAh_cm2,doi,value_source,notes";

    #[test]
    fn quoted_fields_and_blanks() {
        let text = format!(
            "{HEADER}\na,\"PVDF-HFP, cast\",none,1.2e-3,25,0.18,1.7,0.2,5550,1110,10.1/x,\"p. 3, \"\"abstract\"\"\",n\n\
             b,PEO,LLZO,,,,2.4,0.1,800,,,src,\n"
        );
        let rows = parse(&text, Path::new("t.csv")).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].system, "PVDF-HFP, cast");
        assert_eq!(rows[0].sigma_s_cm, Some(1.2e-3));
        assert_eq!(rows[0].cumulative(), Some((1110.0, false)));
        assert_eq!(rows[0].reference(), "doi:10.1/x");
        assert_eq!(rows[1].system, "PEO + LLZO");
        assert_eq!(rows[1].sigma_s_cm, None);
        // 0.1 mA/cm² × 800 h, labelled derived.
        assert_eq!(rows[1].cumulative(), Some((80.0, true)));
        assert_eq!(rows[1].reference(), "src");
        assert_eq!(rows[1].origin, "t.csv:3");
    }

    #[test]
    fn malformed_rows_name_file_and_line() {
        let cases = [
            ("a,PEO,,x,25,,,,,,,,\n", "t.csv:2: column sigma_s_cm: 'x' is not a number"),
            ("a,PEO,,1e-3,25,,,,,,\n", "t.csv:2: 11 fields, the header has 13"),
            ("a,\"PEO,,1e-3,25,,,,,,,,\n", "t.csv:2: unclosed quote"),
            ("\n,PEO,,1e-3,25,,,,,,,,\n", "t.csv:3: empty key"),
        ];
        for (row, message) in cases {
            let e = parse(&format!("{HEADER}\n{row}"), Path::new("t.csv")).unwrap_err();
            assert_eq!(format!("{e:#}"), message);
        }
        let e = parse("key,doi\n", Path::new("t.csv")).unwrap_err();
        assert!(format!("{e}").starts_with("t.csv:1: missing column(s) host_polymer"), "{e}");
    }
}
