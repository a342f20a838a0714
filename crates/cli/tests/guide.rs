//! The user guide (`guide/`) stays correct: every relative link and anchor resolves, the step reference
//! is the registry's (`spelab steps --markdown`), and every shell block of the tutorials runs, in order,
//! on the reference data (a new user's path from clone to a report).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use spelab_testkit::{shared_data, workspace_root};

fn guide_src() -> PathBuf {
    workspace_root().join("guide").join("src")
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("guide folder").filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            markdown_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

/// mdBook's heading ids: lower case, spaces to '-', other punctuation dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Text outside fenced code blocks.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn anchors(file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    prose(&text).lines().filter(|l| l.starts_with('#')).map(|l| slug(l.trim_start_matches('#'))).collect()
}

/// The `(target)` of every `[text](target)` link in the prose.
fn links(text: &str) -> Vec<String> {
    let prose = prose(text);
    let mut out = Vec::new();
    let mut rest = prose.as_str();
    while let Some(i) = rest.find("](") {
        let tail = &rest[i + 2..];
        let end = tail.find(')').unwrap_or(tail.len());
        out.push(tail[..end].to_string());
        rest = &tail[end..];
    }
    out
}

#[test]
fn every_link_and_anchor_of_the_guide_resolves() {
    let mut files = Vec::new();
    markdown_files(&guide_src(), &mut files);
    assert!(files.len() >= 10, "guide pages: {}", files.len());
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for link in links(&text) {
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() { file.clone() } else { file.parent().unwrap().join(path) };
            if !target.is_file() {
                broken.push(format!("{}: '{link}': no file {}", file.display(), target.display()));
            } else if !anchor.is_empty() && !anchors(&target).contains(anchor) {
                broken.push(format!(
                    "{}: '{link}': no heading '#{anchor}' in {}",
                    file.display(),
                    target.display()
                ));
            }
        }
    }
    // Every page is in the table of contents and every entry exists.
    let summary = std::fs::read_to_string(guide_src().join("SUMMARY.md")).unwrap();
    let listed: BTreeSet<PathBuf> = links(&summary).iter().map(|l| guide_src().join(l)).collect();
    for file in &files {
        if !file.ends_with("SUMMARY.md") && !listed.contains(file) {
            broken.push(format!("{} is not in SUMMARY.md", file.display()));
        }
    }
    assert!(broken.is_empty(), "broken links in the guide:\n{}", broken.join("\n"));
}

#[test]
fn the_step_reference_is_generated_from_the_registry() {
    let out = Command::new(env!("CARGO_BIN_EXE_spelab")).args(["steps", "--markdown"]).output().unwrap();
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).unwrap();
    let page = guide_src().join("reference").join("steps.md");
    let committed = std::fs::read_to_string(&page).unwrap_or_default();
    assert!(
        generated == committed,
        "{} is not `spelab steps --markdown`: run scripts/guide --update",
        page.display()
    );
    // And it holds exactly what `spelab steps` prints for each kind.
    let plain = Command::new(env!("CARGO_BIN_EXE_spelab")).args(["steps"]).output().unwrap();
    let plain = String::from_utf8(plain.stdout).unwrap();
    for block in plain.split("\n\n[[step]]").skip(1) {
        let example = format!("[[step]]{}", block.split("\n\n").next().unwrap());
        assert!(generated.contains(example.trim_end()), "missing from the reference:\n{example}");
    }
}

/// The `sh` blocks of a page, in order.
fn shell_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let t = line.trim_start();
        match &mut current {
            None if t == "```sh" => current = Some(String::new()),
            Some(_) if t == "```" => blocks.push(current.take().unwrap()),
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn the_tutorials_run_as_written() {
    let Some(data) = shared_data("eis") else { return };
    let data = data.parent().unwrap().to_path_buf();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_spelab")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut pages = Vec::new();
    markdown_files(&guide_src().join("tutorials"), &mut pages);
    let mut ran = 0;
    for page in pages {
        let blocks = shell_blocks(&std::fs::read_to_string(&page).unwrap());
        if blocks.is_empty() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        for (i, block) in blocks.iter().enumerate() {
            let out = Command::new("bash")
                .args(["-euo", "pipefail", "-c", block])
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("DATA", &data)
                .env("SPELAB_REPO", workspace_root())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{} block {} failed ({}):\n{block}\nstdout:\n{}\nstderr:\n{}",
                page.display(),
                i + 1,
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 8, "only {ran} tutorial blocks ran");
}
