//! spelab-io: instrument readers and writers, format detection.
//!
//! Sits above `spelab-core` and below the CLI: it is, with the CLI, the only layer that touches files.
//! Readers take bytes (`&[u8]` or `impl Read`) plus a name used in error messages, so tests need no disk.
//!
//! Today it holds [`table`]: plain delimited text tables whose header names each column with its unit
//! (`temperature [degC], conductivity [mS/cm]`), the simplest way to give spelab measured numbers.
//! Vendor formats (BioLogic, Neware, Gamry, Arbin, Maccor, Landt, BDF) follow in their own modules.
//!
//! ```
//! use spelab_io::table::read_table;
//! let text = "temperature [degC],conductivity [mS/cm]\n25,1.23\n35,1.5\n";
//! let t = read_table(text.as_bytes(), "sigma.csv").unwrap();
//! assert_eq!(t.rows(), 2);
//! assert_eq!(t.column("conductivity").unwrap().unit.as_deref(), Some("mS/cm"));
//! ```

pub mod error;
pub mod table;

pub use error::IoError;
