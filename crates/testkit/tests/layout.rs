//! The workspace's layout rules, checked on its source (ARCHITECTURE.md, "Rules for the layout"):
//! no Rust file above 600 lines, the CLI crate glue-sized (at most 2,500 lines, no file above 400), and
//! no import cycle between modules inside any crate.
//!
//! The cycle check reads every `crate::`, `super::` and `use` path of each source file, resolves it to
//! the longest module it names, and lifts each edge to the two sibling modules under the deepest common
//! ancestor (an edge from `steps::eis_fit` to `commands::eis` becomes `steps -> commands`). A parent and
//! its own children may use each other (a registry lists its kinds, a kind uses the registry's trait);
//! any cycle between siblings fails, naming the modules and one reference for each edge. Unit-test
//! modules (`#[cfg(test)]`, at the end of a file) are not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use spelab_testkit::workspace_root;

/// Every `.rs` file under `dir`, recursively, in sorted order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn crates() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("crates"))
        .expect("crates/ folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn line_count(path: &Path) -> usize {
    std::fs::read_to_string(path).map(|t| t.lines().count()).unwrap_or(0)
}

#[test]
fn no_rust_file_above_600_lines() {
    let mut files = Vec::new();
    for krate in crates() {
        rust_files(&krate, &mut files);
    }
    assert!(files.len() > 50, "found only {} source files", files.len());
    let long: Vec<String> = files
        .iter()
        .map(|f| (f, line_count(f)))
        .filter(|(_, n)| *n > 600)
        .map(|(f, n)| format!("{} ({n} lines)", f.display()))
        .collect();
    assert!(long.is_empty(), "files above 600 lines (split them by meaning):\n{}", long.join("\n"));
}

#[test]
fn cli_is_glue_sized() {
    let mut files = Vec::new();
    rust_files(&workspace_root().join("crates/cli/src"), &mut files);
    let total: usize = files.iter().map(|f| line_count(f)).sum();
    assert!(total <= 2500, "crates/cli/src holds {total} lines (at most 2,500: library work belongs below)");
    for f in &files {
        let n = line_count(f);
        assert!(n <= 400, "{} has {n} lines (cli files stay under 400)", f.display());
    }
}

/// The module path (`["steps", "eis_fit"]`) of a source file under `src`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("file under src");
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    let last = parts.pop().expect("file name");
    let stem = last.trim_end_matches(".rs");
    if !(stem == "mod" || (parts.is_empty() && (stem == "lib" || stem == "main"))) {
        parts.push(stem.to_string());
    }
    parts
}

/// Removes `//` comments and string literals (roughly: enough that doc examples and messages do not
/// count as references).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !in_str && c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' && !(prev == '\'' && chars.get(i + 1) == Some(&'\'')) {
                in_str = !in_str;
            } else if !in_str {
                kept.push(c);
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
            i += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// Expands a `use` tree (`crate::{a::{b, c}, d}`) into its paths.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    fn go(prefix: &str, t: &str, out: &mut Vec<String>) {
        if let Some(open) = t.find('{') {
            let head = &t[..open];
            let inner = &t[open + 1..t.rfind('}').unwrap_or(t.len())];
            let mut depth = 0;
            let mut start = 0;
            let bytes: Vec<char> = inner.chars().collect();
            let mut items = Vec::new();
            for (i, c) in bytes.iter().enumerate() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(bytes[start..i].iter().collect::<String>());
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            items.push(bytes[start..].iter().collect::<String>());
            for item in items.into_iter().filter(|s| !s.is_empty()) {
                go(&format!("{prefix}{head}"), &item, out);
            }
        } else {
            out.push(format!("{prefix}{t}"));
        }
    }
    let mut out = Vec::new();
    go("", &tree, &mut out);
    out
}

/// Every module path this file's code refers to, resolved against `module`.
fn references(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    // `use` statements (may span lines and hold groups).
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before_ok =
            at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric() && rest.as_bytes()[at - 1] != b'_';
        let tail = &rest[at + 4..];
        let end = tail.find(';').unwrap_or(tail.len());
        if before_ok {
            paths.extend(expand_use(&tail[..end]));
        }
        rest = &tail[end.min(tail.len())..];
    }
    // Inline paths (`crate::a::b::f()`, `super::x`).
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            let ok = at == 0 || {
                let b = code.as_bytes()[at - 1];
                !(b.is_ascii_alphanumeric() || b == b'_' || b == b':')
            };
            let end = code[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            if ok {
                paths.push(code[at..end].to_string());
            }
            from = end.max(at + start.len());
        }
    }
    let mut resolved = Vec::new();
    for p in paths {
        let segs: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
        let mut base: Vec<String> = match segs.first() {
            Some(&"crate") => Vec::new(),
            Some(&"super") | Some(&"self") => module.to_vec(),
            _ => continue,
        };
        let mut rest = &segs[..];
        if segs[0] == "crate" {
            rest = &segs[1..];
        } else {
            while let Some((&first, tail)) = rest.split_first() {
                match first {
                    "super" => {
                        base.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = tail;
            }
        }
        base.extend(rest.iter().map(|s| s.to_string()));
        resolved.push(base);
    }
    resolved
}

/// Sibling-level edges `from -> to` (full module paths of the two siblings) with one example each.
type Edges = BTreeMap<(Vec<String>, Vec<String>), String>;

fn crate_edges(src: &Path) -> Edges {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    // Files under src/bin or named main.rs next to lib.rs are separate crates' roots; skip bins.
    files.retain(|f| !f.strip_prefix(src).is_ok_and(|r| r.starts_with("bin")) && !f.ends_with("main.rs"));
    let modules: BTreeMap<Vec<String>, PathBuf> =
        files.iter().map(|f| (module_of(src, f), f.clone())).collect();
    let mut edges = Edges::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        // Unit tests (the `#[cfg(test)]` module at the end of a file) may use any module.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let code = code_only(text);
        for target in references(&code, module) {
            // The longest prefix of the path that is a module of this crate.
            let Some(n) = (0..=target.len()).rev().find(|&n| modules.contains_key(&target[..n])) else {
                continue;
            };
            let to = &target[..n];
            let common = module.iter().zip(to).take_while(|(a, b)| a == b).count();
            if common == module.len() || common == to.len() {
                continue; // a module and its ancestor
            }
            let from_sib = module[..=common].to_vec();
            let to_sib = to[..=common].to_vec();
            let example = format!("{} uses {}", module.join("::"), target.join("::"));
            edges.entry((from_sib, to_sib)).or_insert(example);
        }
    }
    edges
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(edges: &Edges) -> Vec<Vec<Vec<String>>> {
    let nodes: BTreeSet<Vec<String>> = edges.keys().flat_map(|(a, b)| [a.clone(), b.clone()]).collect();
    let nodes: Vec<Vec<String>> = nodes.into_iter().collect();
    let index_of: BTreeMap<&Vec<String>, usize> = nodes.iter().enumerate().map(|(i, n)| (n, i)).collect();
    let mut adj = vec![Vec::new(); nodes.len()];
    for (a, b) in edges.keys() {
        adj[index_of[a]].push(index_of[b]);
    }
    struct T<'a> {
        adj: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(t: &mut T<'_>, v: usize) {
        t.index[v] = Some(t.next);
        t.low[v] = t.next;
        t.next += 1;
        t.stack.push(v);
        t.on[v] = true;
        for &w in &t.adj[v] {
            match t.index[w] {
                None => {
                    visit(t, w);
                    t.low[v] = t.low[v].min(t.low[w]);
                }
                Some(iw) if t.on[w] => t.low[v] = t.low[v].min(iw),
                _ => {}
            }
        }
        if Some(t.low[v]) == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let n = nodes.len();
    let mut t = T {
        adj: &adj,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if t.index[v].is_none() {
            visit(&mut t, v);
        }
    }
    t.out.into_iter().map(|c| c.into_iter().map(|i| nodes[i].clone()).collect()).collect()
}

#[test]
fn no_module_cycles_inside_any_crate() {
    let mut report = Vec::new();
    let mut checked = 0;
    for krate in crates() {
        let src = krate.join("src");
        let edges = crate_edges(&src);
        checked += edges.len();
        for comp in cycles(&edges) {
            let names: Vec<String> = comp.iter().map(|m| m.join("::")).collect();
            let examples: Vec<&String> = edges
                .iter()
                .filter(|((a, b), _)| comp.contains(a) && comp.contains(b))
                .map(|(_, e)| e)
                .collect();
            report.push(format!(
                "{}: cycle between {}\n  {}",
                krate.display(),
                names.join(", "),
                examples.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  ")
            ));
        }
    }
    assert!(checked > 20, "the checker found only {checked} module edges: is it reading the sources?");
    assert!(report.is_empty(), "import cycles between modules:\n{}", report.join("\n"));
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    // Two sibling modules that use each other, as `steps` and `commands` did before spelab-study.
    let dir = std::env::temp_dir().join(format!("spelab-layout-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("steps")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod commands;\npub mod steps;\n").unwrap();
    std::fs::write(src.join("commands.rs"), "use crate::steps::eis_fit::figures;\n").unwrap();
    std::fs::write(src.join("steps/mod.rs"), "pub mod eis_fit;\nuse self::eis_fit::KIND;\n").unwrap();
    std::fs::write(
        src.join("steps/eis_fit.rs"),
        "use super::Step; // parent: allowed\nuse crate::commands::{eis::{read, select}};\n",
    )
    .unwrap();
    let edges = crate_edges(&src);
    let found = cycles(&edges);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(found.len(), 1, "edges: {edges:?}");
    let names: BTreeSet<String> = found[0].iter().map(|m| m.join("::")).collect();
    assert_eq!(names, BTreeSet::from(["commands".to_string(), "steps".to_string()]));
}
