//! Every file of `../shared/data/spectra/` is detected and read, and agrees with the reader checks in
//! its `expected/*.json` (point counts, first and last values) and with the facts its README states.

use spelab_core::measurement::TgaSignal;
use spelab_core::{SpectrumAxis, ThermogramKind};
use spelab_io::spectra::{read_spectral_path, SpectralFile, SpectralFormat};
use spelab_testkit::shared_data;

fn read(rel: &str) -> Option<SpectralFile> {
    let path = shared_data(&format!("spectra/{rel}"))?;
    Some(read_spectral_path(&path).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

/// Values are copied from the files; 1e-9 relative covers decimal-to-binary rounding only.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn jcamp_affn_with_plus_separators_reads_all_7154_points() {
    let Some(f) = read("ftir/fitr_nitrocellulose.jdx") else { return };
    assert_eq!(f.format, SpectralFormat::Jcamp);
    let s = f.blocks[0].spectrum().unwrap();
    assert_eq!(s.len(), 7154);
    let x = s.x_display();
    assert!(close(x[0], 7498.994) && close(x[7153], 599.91952));
    assert!((s.y()[0] - 0.6897301124005768).abs() < 1e-12);
    assert!((s.y()[7153] - 0.04090091252957278).abs() < 1e-12);
}

#[test]
fn agilent_asp_and_headerless_csv() {
    if let Some(f) = read("ftir/ftir_ldpe_soil.asp") {
        assert_eq!(f.format, SpectralFormat::AgilentAsp);
        let s = f.blocks[0].spectrum().unwrap();
        assert_eq!(s.len(), 1798);
        assert!(close(s.x_display()[1797], 650.420452594757));
        assert!(close(s.y()[0], 0.00569463047851728) && close(s.y()[1797], 0.0270560187493057));
    }
    if let Some(f) = read("ftir/ftir_pva_without_header.csv") {
        assert_eq!(f.format, SpectralFormat::TwoColumn);
        let s = f.blocks[0].spectrum().unwrap();
        assert_eq!((s.len(), s.axis()), (863, SpectrumAxis::Wavenumber));
        assert!(close(s.x_display()[0], 674.9918) && close(s.x_display()[862], 3999.809));
    }
}

#[test]
fn raman_text_csv_and_latin1_labspec() {
    if let Some(f) = read("raman/raman_example.txt") {
        let s = f.blocks[0].spectrum().unwrap();
        assert_eq!((s.len(), s.is_ascending()), (1011, false));
    }
    if let Some(f) = read("raman/raman_hdpe.csv") {
        let s = f.blocks[0].spectrum().unwrap();
        assert!(close(s.x_display()[0], 301.04) && s.is_ascending());
    }
    if let Some(f) = read("raman/labspec_raman_example.txt") {
        assert_eq!(f.format, SpectralFormat::LabSpec);
        let s = f.blocks[0].spectrum().unwrap();
        assert!(close(s.x_display()[0], 201.795));
        assert!(s.meta().extra.contains_key("Range (cm-¹)"), "{:?}", s.meta().extra.keys());
    }
}

#[test]
fn vamas_blocks_with_binding_and_kinetic_abscissae() {
    if let Some(f) = read("xps/Mutlipak_vms.npl") {
        assert_eq!(f.format, SpectralFormat::Vamas);
        let counts: Vec<usize> = f.blocks.iter().map(|b| b.spectrum().unwrap().len()).collect();
        assert_eq!(counts, vec![601, 601, 501, 401, 401]);
        let mo = f.block("Mo 3d").unwrap().spectrum().unwrap();
        assert_eq!(mo.axis(), SpectrumAxis::BindingEnergy);
        assert!(close(mo.x_display()[0], 240.0) && close(mo.x_display()[400], 220.0));
    }
    if let Some(f) = read("xps/0-150W.vms") {
        assert_eq!(f.blocks.len(), 5);
        let w = f.block("W 4f").unwrap();
        let s = w.spectrum().unwrap();
        assert_eq!(s.axis(), SpectrumAxis::KineticEnergy);
        assert_eq!(w.extra.len(), 1, "transmission is the second variable");
        assert_eq!(s.meta().extra.get("photon energy [eV]").map(String::as_str), Some("1486.69"));
    }
}

#[test]
fn casaxps_csv_and_kinetic_energy_csv() {
    if let Some(f) = read("xps/20240228_Au_Nadep_from_MPPipTFSI4AMSIol3_F_1s.csv") {
        assert_eq!(f.format, SpectralFormat::CasaXps);
        let b = &f.blocks[0];
        assert_eq!(b.extra.len(), 4);
        assert!(b.extra_column("Background_F 1s 7").is_some());
        assert!(close(b.spectrum().unwrap().x_display()[0], 694.0));
    }
    if let Some(f) = read("xps/clean_Au_4f.csv") {
        let s = f.blocks[0].spectrum().unwrap();
        assert_eq!(s.axis(), SpectrumAxis::KineticEnergy);
        assert_eq!(s.meta().extra.get("photon energy [eV]").map(String::as_str), Some("180"));
    }
}

#[test]
fn dsc_csvs_with_and_without_bom() {
    for (file, rows, first_c) in
        [("dsc/NIST_DSC_N2_10K_1.csv", 695, 29.997), ("dsc/FSRI_DSC_N2_10K_1.csv", 999, 49.85)]
    {
        let Some(f) = read(file) else { return };
        assert_eq!(f.format, SpectralFormat::ThermalCsv);
        let t = f.blocks[0].thermogram().unwrap();
        assert_eq!((t.len(), t.kind()), (rows, ThermogramKind::DscSpecific));
        assert!((t.temperature()[0] - 273.15 - first_c).abs() < 1e-9);
        assert!(t.time().is_some());
    }
}

#[test]
fn netzsch_and_pyris_tga() {
    for (file, last) in
        [("tga/netzsch_example_file.txt", 0.1939108), ("tga/netzsch2_example_file.txt", 0.2554136)]
    {
        let Some(f) = read(file) else { return };
        assert_eq!(f.format, SpectralFormat::NetzschAscii);
        let t = f.blocks[0].thermogram().unwrap();
        assert_eq!((t.len(), t.kind()), (270, ThermogramKind::Tga(TgaSignal::MassFraction)));
        assert!(close(*t.signal().last().unwrap(), last));
    }
    if let Some(f) = read("tga/PVC.txt") {
        assert_eq!(f.format, SpectralFormat::PyrisText);
        let rows: Vec<usize> = f.blocks.iter().map(|b| b.thermogram().unwrap().len()).collect();
        assert_eq!(rows[..4], [50, 960, 1200, 5640]);
        assert_eq!(f.blocks.len(), 9);
        let first = f.blocks[0].thermogram().unwrap();
        assert!(close(first.signal()[0], 0.843940e-6));
        assert_eq!(first.meta().sample_mass, Some(0.845e-6));
    }
}
