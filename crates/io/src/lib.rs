//! spelab-io: instrument readers and writers, format detection.
//!
//! Sits above `spelab-core` and below the CLI: it is, with the CLI, the only layer that touches files.
//! Readers take bytes (`&[u8]` or `impl Read`) plus a name used in error messages, so tests need no disk.
//!
//! - [`channel`]: the one column vocabulary (time [s], voltage [V], current [A], charge [C],
//!   frequency [Hz], Z' / Z'' [Ω], cycle and step index, temperature [K], ...);
//! - [`recording`]: [`Recording`], what every reader returns (format, technique, metadata, typed SI
//!   columns) and its conversions into the core measurement types;
//! - [`detect`]: format detection by content and the one entry point [`read_bytes`];
//! - [`biologic`]: BioLogic EC-Lab `.mpr` (binary) and `.mpt` (text export);
//! - [`gamry`]: Gamry Framework `.DTA` (EIS, CV, CA, OCP; aborted runs; decimal commas);
//! - [`maccor`]: Maccor text exports (minutes, duration and KIT dialects);
//! - [`arbin_res`]: Arbin MITS `.res` (Microsoft Access / Jet 4 database, read with `jetdb`);
//! - [`cycler_csv`]: Arbin, Neware BTSDA and Landt CSV exports, Battery Data Format (BDF) CSV;
//! - [`neware`]: Neware `.nda` (version 29, version 130 in the BTS 9.0 and BTS 9.1 layouts);
//! - [`neware_length`]: the exact-length check of an `.nda` from its header's block pointers;
//! - [`ndax`]: Neware `.ndax` (ndc versions 2, 5, 11, 14, 16, 17) via the minimal [`zip`] reader;
//! - [`mapped`]: any CSV/TSV with a user-given column mapping (`time=0,voltage="Ewe/V"`, units);
//! - [`export`]: CSV export of a recording;
//! - [`summary`]: the text and JSON summary `spelab read` prints (rows, columns, skipped records);
//! - [`spectra`]: DSC, TGA, Raman, XPS and FT-IR files (JCAMP-DX, VAMAS, CasaXPS, LabSpec, Agilent
//!   `.asp`, NETZSCH, Pyris, two-column text) into core `Spectrum` / `Thermogram` blocks;
//! - [`spectrum`]: an impedance spectrum from any instrument file spelab reads, else from three-column
//!   text (`f, Z', Z''`): [`read_spectrum`], [`read_three_column`];
//! - [`labelled_spectrum`]: spectra from text exports whose header names the columns (CH Instruments,
//!   ZView, PowerSuite, VersaStudio, Parstat);
//! - [`table`]: plain delimited text tables whose header names each column with its unit
//!   (`temperature [degC], conductivity [mS/cm]`), the simplest way to give spelab measured numbers.
//!
//! Damaged input is an error naming the file, the byte offset or line, and what was expected; never a
//! panic and never a shorter table presented as the whole file.
//!
//! ```
//! use spelab_io::table::read_table;
//! let text = "temperature [degC],conductivity [mS/cm]\n25,1.23\n35,1.5\n";
//! let t = read_table(text.as_bytes(), "sigma.csv").unwrap();
//! assert_eq!(t.rows(), 2);
//! assert_eq!(t.column("conductivity").unwrap().unit.as_deref(), Some("mS/cm"));
//! ```

pub mod arbin_res;
pub mod biologic;
pub mod channel;
pub mod cycler_csv;
pub mod detect;
pub mod error;
pub mod export;
pub mod gamry;
pub mod labelled_spectrum;
pub mod maccor;
pub mod mapped;
pub mod ndax;
pub mod neware;
pub mod neware_length;
pub mod recording;
pub mod series;
pub mod spectra;
pub mod spectrum;
pub mod summary;
pub mod table;
pub mod text;
pub mod zip;
pub mod zplot;

pub use channel::Channel;
pub use detect::{detect, read_bytes, read_path};
pub use error::IoError;
pub use recording::{Column, Format, Recording, Values};
pub use series::{read_channels, read_series, Channels, Purpose, SeriesMap};
pub use spectrum::{read_spectrum, read_three_column};
