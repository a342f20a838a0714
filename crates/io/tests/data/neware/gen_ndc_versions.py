"""Golden values of the small .ndax samples in this folder (ndc versions not in the shared corpus), from
fastnda 1.3.1: every row of the main columns, so that crates/io/tests/ndc_versions.rs compares all of
them.

Usage: python gen_ndc_versions.py   (pip install fastnda==1.3.1; writes ndc_versions_fastnda.json)
"""

import json
from pathlib import Path

import fastnda

FILES = ["ndc16_ZZZZZZZZTEST.ndax", "ndc16_46_1_5_60.ndax", "ndc11_constructed.ndax", "ndc2_scrubbed.ndax"]
COLUMNS = [
    "index", "voltage_V", "current_mA", "unix_time_s", "step_time_s", "total_time_s", "cycle_count",
    "step_count", "capacity_mAh", "aux1_voltage_V", "aux1_temperature_degC",
]


def main():
    here = Path(__file__).parent
    out = {"fastnda": fastnda.__version__, "files": {}}
    for name in FILES:
        df = fastnda.read(here / name)
        out["files"][name] = {
            "rows": df.height,
            "columns": {c: df[c].cast(float).to_list() for c in COLUMNS if c in df.columns},
        }
    (here / "ndc_versions_fastnda.json").write_text(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
