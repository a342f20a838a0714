//! Helpers shared by the CLI integration tests: a temp study folder and the real binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `spelab` binary built by cargo for these tests.
pub fn spelab() -> Command {
    Command::cargo_bin("spelab").expect("the spelab binary is built for integration tests")
}

/// A temporary folder holding a study file (and any data files), removed on drop.
pub struct Scratch {
    /// The folder.
    pub dir: tempfile::TempDir,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::new()
    }
}

impl Scratch {
    /// A new empty folder.
    pub fn new() -> Scratch {
        Scratch { dir: tempfile::tempdir().expect("tempdir") }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `name` with `text` and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
        path
    }

    /// Copies a repository fixture (tests/data/<name>) into the scratch folder.
    pub fn fixture(&self, name: &str) -> PathBuf {
        let text = std::fs::read_to_string(spelab_testkit::fixture(name)).expect("fixture");
        self.write(name, &text)
    }
}

/// A minimal valid study header with both presets.
pub const HEADER: &str = r#"[study]
name = "test study"

[[material]]
id = "pvh"
preset = "pvh"

[[material]]
id = "pvh-im"
preset = "pvh-im"
"#;

/// Parses a JSON document.
pub fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}
