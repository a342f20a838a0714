//! The run directory: atomic writes that never land on an input.
//!
//! Every file is written to a temporary file in the same folder and renamed into place, so a crash or
//! a full disk never leaves a half-written report, and an earlier complete file is replaced only by a
//! complete one. A path that is one of the study's inputs is refused.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

/// Writes files under one output folder, refusing to overwrite inputs.
#[derive(Debug)]
pub struct RunDir {
    root: PathBuf,
    inputs: Vec<PathBuf>,
    written: Vec<PathBuf>,
}

fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

impl RunDir {
    /// Creates (if needed) the folder `root` with `figures/` and `data/`; `inputs` are protected.
    pub fn create(root: &Path, inputs: &[PathBuf]) -> anyhow::Result<RunDir> {
        if root.is_file() {
            bail!("output folder {} is an existing file", root.display());
        }
        for sub in ["", "figures", "data"] {
            let dir = root.join(sub);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("creating output folder {}", dir.display()))?;
        }
        let inputs = inputs.iter().filter_map(|p| canonical(p)).collect();
        Ok(RunDir { root: root.to_path_buf(), inputs, written: Vec::new() })
    }

    /// The output folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Files written so far, relative to the root.
    pub fn written(&self) -> &[PathBuf] {
        &self.written
    }

    /// Atomically writes `bytes` to `relative` under the root.
    pub fn write(&mut self, relative: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
        let path = self.root.join(relative);
        if let Some(existing) = canonical(&path) {
            if self.inputs.contains(&existing) {
                bail!("refusing to write {}: it is an input of this study", path.display());
            }
        }
        let dir = path.parent().unwrap_or(&self.root);
        let mut builder = tempfile::Builder::new();
        builder.prefix(".spelab-").suffix(".tmp");
        // Outputs are ordinary files (rw-r--r--), not the 0600 that temporary files get by default.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let mut tmp = builder
            .tempfile_in(dir)
            .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
        tmp.write_all(bytes).with_context(|| format!("writing {}", path.display()))?;
        tmp.as_file().sync_all().ok();
        tmp.persist(&path).map_err(|e| e.error).with_context(|| format!("writing {}", path.display()))?;
        self.written.push(PathBuf::from(relative));
        Ok(path)
    }
}

/// Atomically writes `bytes` to the single file `path` (temporary file in the same folder, then
/// rename), refusing when `path` is one of `inputs`. The folder must exist.
pub fn write_file(path: &Path, bytes: &[u8], inputs: &[PathBuf]) -> anyhow::Result<()> {
    if let Some(existing) = canonical(path) {
        if inputs.iter().filter_map(|p| canonical(p)).any(|p| p == existing) {
            bail!("refusing to write {}: it is an input", path.display());
        }
    }
    if path.is_dir() {
        bail!("output {} is a folder; give a file path", path.display());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".spelab-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes).with_context(|| format!("writing {}", path.display()))?;
    tmp.as_file().sync_all().ok();
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_an_input_and_keeps_it_intact() {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("metrics.json");
        std::fs::write(&input, "precious").expect("write");
        let mut run = RunDir::create(dir.path(), std::slice::from_ref(&input)).expect("create");
        let err = run.write("metrics.json", b"new").unwrap_err();
        assert!(err.to_string().contains("is an input"), "{err}");
        assert_eq!(std::fs::read_to_string(&input).expect("read"), "precious");
        run.write("figures/a.svg", b"<svg/>").expect("write");
        assert_eq!(std::fs::read(dir.path().join("figures/a.svg")).expect("read"), b"<svg/>");
        // No temporary files are left behind.
        let leftovers = std::fs::read_dir(dir.path().join("figures")).expect("ls").count();
        assert_eq!(leftovers, 1);
    }
}
