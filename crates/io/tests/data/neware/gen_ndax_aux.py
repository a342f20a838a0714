"""Golden values of the .ndax auxiliary channels (data_AUX_*.ndc) of the shared corpus, from fastnda 1.3.1.

Writes ndax_aux_fastnda.json next to this script: per corpus file with aux members, per member in
sorted file-name order (fastnda's order: the three integers of data_AUX_a_b_c.ndc), fastnda's column
for it, its row count, first and last three values, min, max and sum (float64 of fastnda's float32).
fastnda names the columns by matching that order to TestInfo.xml's Aux entries; spelab types each
member by its file name instead (data_AUX_<RealChlID>_<ChlType - 100>_<n>.ndc, which equals
TestInfo.xml's RealChlID and ChlType on every corpus file), so the two agree on the values, not
always on the label (see crates/io/tests/ndax_aux.rs).

Usage: python gen_ndax_aux.py SHARED_DIR   (pip install fastnda==1.3.1)
"""

import json
import re
import sys
import zipfile
from pathlib import Path

import fastnda

FILES = [
    "123456789012_Unit27_Example_Data_File.ndax",
    "TESTCELL0001-Test_Data_Collection_Ndc17.ndax",
    "20260302_IFE_BTS85_2_9_8_1.ndax",
]


def main():
    shared = Path(sys.argv[1])
    out = {"fastnda": fastnda.__version__, "files": {}}
    for name in FILES:
        path = shared / "data" / "instruments" / "neware" / name
        members = [m for m in zipfile.ZipFile(path).namelist() if re.match(r"data_AUX_\d+_\d+_\d+\.ndc$", m)]
        members.sort(key=lambda m: [int(x) for x in re.findall(r"\d+", m)])
        df = fastnda.read(path)
        columns = [c for c in df.columns if c.startswith("aux")]
        assert len(columns) == len(members), (name, columns, members)
        entries = []
        for member, column in zip(members, columns):
            v = df[column].cast(float).to_list()
            entries.append(
                {
                    "member": member,
                    "fastnda_column": column,
                    "rows": len(v),
                    "first": v[:3],
                    "last": v[-3:],
                    "min": min(v),
                    "max": max(v),
                    "sum": float(df[column].cast(float).sum()),
                }
            )
        out["files"][name] = {"rows": df.height, "aux": entries}
    target = Path(__file__).with_name("ndax_aux_fastnda.json")
    target.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
