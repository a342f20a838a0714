use spelab_sim::fullcell::*;
#[test]
fn probe2() {
    let limits = Limits { voltage_min: 2.5, voltage_max: 4.0, electrolyte_min: 1.0 };
    let rtol: f64 = std::env::var("RT").ok().and_then(|v| v.parse().ok()).unwrap_or(1e-4);
    for e in [ReferenceElectrolyte::Liquid, ReferenceElectrolyte::SpeA, ReferenceElectrolyte::SpeB] {
        let cell = FullCell::prada2013(e).unwrap();
        let x0 = 86.6628 / 22806.0;
        let mut el = f64::INFINITY;
        let mut st = None;
        for _ in 0..20 {
            let mut dfn = Dfn::new(&cell, x0, DfnMesh::default()).unwrap().with_tolerance(rtol).unwrap();
            let t = std::time::Instant::now();
            while dfn.advance(cell.one_c_current_density(), 7200.0, &limits, &mut |_| {}).unwrap()
                == SegmentEnd::Duration
            {}
            el = el.min(t.elapsed().as_secs_f64() * 1e3);
            st = Some((dfn.stats(), dfn.capacity_mah_g()));
        }
        eprintln!("{e:?} rtol {rtol}: {el:.1} ms {st:?}");
    }
}
