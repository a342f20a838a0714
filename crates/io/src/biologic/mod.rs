//! BioLogic EC-Lab files: binary `.mpr` ([`mpr`]) and text `.mpt` exports ([`mpt`]).
//!
//! Both readers name columns through one label table ([`labels`]) so an `.mpr` and its `.mpt` export
//! give the same spelab columns with the same SI values.

pub mod derive;
pub mod ids;
pub mod labels;
pub mod mpr;
pub mod mpr_data;
pub mod mpt;

pub use mpr::{read_mpr, read_mpr_columns, read_mpr_from, MprColumns};
pub use mpt::{read_mpt, read_mpt_from};
