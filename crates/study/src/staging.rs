//! Run-level atomicity: a run is written into a staging folder next to its output folder and renamed
//! into place only when complete, so the output folder always holds one whole run (the last complete
//! one) and never a mix of two.
//!
//! - [`Staging::begin`] decides, before any step runs, whether the run may replace the output folder:
//!   never when the folder holds one of the study's inputs, nor when it exists with files but is not a
//!   spelab run (no `run.log`). It then removes what interrupted runs left next to it
//!   (`.spelab-<name>.*.tmp`, skipping those of a process still running) and creates the staging
//!   folder `.spelab-<name>.<pid>-<n>.tmp`; its name marks it incomplete.
//! - [`Staging::commit`] moves the previous run aside (`.spelab-<name>.old-<pid>-<n>.tmp`), renames
//!   the staging folder into place and removes the previous run. A run killed between the two renames
//!   leaves the previous run under its `.old` name, and the next run renames it back before anything
//!   else.
//! - A staging folder that is dropped without commit (an error) is removed;
//!   [`remove_in_progress`] removes those of the runs in progress, for a Ctrl-C handler.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context};

/// Staging folders of the runs in progress in this process.
static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A run's staging folder; see the module documentation.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

/// `.spelab-<name>.` for the output folder `target` (`<name>` its last component).
fn prefix(target: &Path) -> String {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "run".into());
    format!(".spelab-{name}.")
}

/// A name unique to this process and moment.
fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64 + d.as_secs() * 1_000_000_000)
        .unwrap_or(0);
    format!("{}-{nanos}", std::process::id())
}

/// Whether the leftover `name` (`<prefix><pid>-...` or `<prefix>old-<pid>-...`) belongs to another
/// process that is still running (Linux; elsewhere every leftover counts as abandoned).
fn owned_by_a_live_process(name: &str, prefix: &str) -> bool {
    let rest = name[prefix.len()..].trim_start_matches("old-");
    let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else { return false };
    pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists()
}

impl Staging {
    /// Checks that a run may replace `target` (see the module documentation), cleans what earlier
    /// interrupted runs left and creates the staging folder. `inputs` are the study's input files.
    pub fn begin(target: &Path, inputs: &[PathBuf]) -> anyhow::Result<Staging> {
        if target.is_file() {
            bail!("output folder {} is an existing file", target.display());
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let prefix = prefix(target);
        restore_or_clean(&parent, &prefix, target)?;
        if let Ok(root) = std::fs::canonicalize(target) {
            for input in inputs.iter().filter_map(|p| std::fs::canonicalize(p).ok()) {
                if input.starts_with(&root) {
                    bail!(
                        "refusing to write into {}: {} is an input of this study, and a run replaces the \
                         whole output folder; choose another --out",
                        target.display(),
                        input.display()
                    );
                }
            }
            let mut entries =
                std::fs::read_dir(target).with_context(|| format!("reading {}", target.display()))?;
            if entries.next().is_some() && !target.join("run.log").is_file() {
                bail!(
                    "output folder {} holds files but no run.log (not a spelab run); a run replaces the \
                     whole folder: choose another --out or empty it",
                    target.display()
                );
            }
        }
        let staging = parent.join(format!("{prefix}{}.tmp", unique()));
        std::fs::create_dir(&staging).with_context(|| format!("creating {}", staging.display()))?;
        IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner()).push(staging.clone());
        Ok(Staging { target: target.to_path_buf(), staging, committed: false })
    }

    /// The staging folder the run writes into.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Puts the complete run in place of the output folder (see the module documentation).
    pub fn commit(mut self) -> anyhow::Result<()> {
        let parent = self.staging.parent().unwrap_or(Path::new(".")).to_path_buf();
        let old = parent.join(format!("{}old-{}.tmp", prefix(&self.target), unique()));
        let had_previous = self.target.is_dir();
        {
            // Held through both renames: a Ctrl-C handler ([`remove_in_progress`]) waits for them.
            let mut in_progress = IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner());
            if had_previous {
                std::fs::rename(&self.target, &old)
                    .with_context(|| format!("moving the previous run {} aside", self.target.display()))?;
            }
            if let Err(e) = std::fs::rename(&self.staging, &self.target) {
                if had_previous {
                    std::fs::rename(&old, &self.target).ok();
                }
                return Err(e).with_context(|| format!("renaming the run into {}", self.target.display()));
            }
            self.committed = true;
            in_progress.retain(|p| *p != self.staging);
            if had_previous {
                // The previous run aside is now what an interrupt must remove.
                in_progress.push(old.clone());
            }
        }
        if had_previous {
            std::fs::remove_dir_all(&old).ok();
            forget(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            std::fs::remove_dir_all(&self.staging).ok();
            forget(&self.staging);
        }
    }
}

fn forget(staging: &Path) {
    IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner()).retain(|p| p != staging);
}

/// Renames a previous run left aside by an interrupted commit back into place when the output
/// folder is missing, then removes every other abandoned leftover of `target` in `parent`.
fn restore_or_clean(parent: &Path, prefix: &str, target: &Path) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(parent) else { return Ok(()) };
    let mut leftovers: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n.starts_with(prefix) && n.ends_with(".tmp") && !owned_by_a_live_process(n, prefix))
        .collect();
    leftovers.sort();
    if !target.exists() {
        if let Some((_, old)) = leftovers.iter().find(|(n, _)| n[prefix.len()..].starts_with("old-")) {
            std::fs::rename(old, target).with_context(|| {
                format!("restoring the previous run {} into {}", old.display(), target.display())
            })?;
        }
    }
    for (_, path) in leftovers.iter().filter(|(_, p)| p.exists()) {
        if path.is_dir() {
            // Registered while removed, so that an interrupt finishes the removal.
            IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner()).push(path.clone());
            std::fs::remove_dir_all(path).ok();
            forget(path);
        } else {
            std::fs::remove_file(path).ok();
        }
    }
    // Temporary files an older spelab left inside the output folder itself.
    if let Ok(entries) = std::fs::read_dir(target) {
        for e in entries.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(".spelab-") && name.ends_with(".tmp") {
                std::fs::remove_file(e.path()).ok();
            }
        }
    }
    Ok(())
}

/// Removes the staging folders of the runs in progress in this process, and a previous run being
/// removed after its replacement was committed (what a Ctrl-C handler calls before exiting); the
/// output folders keep their last complete run.
///
/// Each folder is first renamed (atomically), so that a run still writing into it creates nothing
/// more there (its writes go to the old path and fail), then removed.
pub fn remove_in_progress() {
    let mut in_progress = IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner());
    for p in std::mem::take(&mut *in_progress) {
        let mut doomed = p.clone().into_os_string();
        doomed.push(".removing.tmp");
        let doomed = PathBuf::from(doomed);
        let gone = if std::fs::rename(&p, &doomed).is_ok() { doomed } else { p };
        for _ in 0..5 {
            if std::fs::remove_dir_all(&gone).is_ok() || !gone.exists() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_committed_run_replaces_the_previous_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let s = Staging::begin(&target, &[]).unwrap();
        std::fs::write(s.path().join("run.log"), "first").unwrap();
        std::fs::write(s.path().join("a.svg"), "a").unwrap();
        s.commit().unwrap();
        let s = Staging::begin(&target, &[]).unwrap();
        std::fs::write(s.path().join("run.log"), "second").unwrap();
        // Not committed yet: the folder still holds the first run.
        assert_eq!(names(&target), ["a.svg", "run.log"]);
        s.commit().unwrap();
        assert_eq!(names(&target), ["run.log"]);
        assert_eq!(names(dir.path()), ["out"]);
    }

    #[test]
    fn an_abandoned_run_leaves_nothing_and_an_interrupted_commit_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        drop(Staging::begin(&target, &[]).unwrap());
        assert!(names(dir.path()).is_empty());
        // A commit killed between its renames: the previous run aside, a staging folder, no target.
        let old = dir.path().join(".spelab-out.old-999999999-1.tmp");
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("run.log"), "previous").unwrap();
        std::fs::create_dir(dir.path().join(".spelab-out.999999999-2.tmp")).unwrap();
        let s = Staging::begin(&target, &[]).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("run.log")).unwrap(), "previous");
        drop(s);
        assert_eq!(names(dir.path()), ["out"]);
    }

    #[test]
    fn folders_holding_inputs_or_other_files_are_refused_before_anything_runs() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("data.csv"), "x").unwrap();
        let err = Staging::begin(&target, &[target.join("data.csv")]).unwrap_err().to_string();
        assert!(err.contains("is an input"), "{err}");
        let err = Staging::begin(&target, &[]).unwrap_err().to_string();
        assert!(err.contains("no run.log"), "{err}");
        assert_eq!(names(dir.path()), ["out"]);
    }
}
