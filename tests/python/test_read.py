"""spelab.read on corpus files against `spelab read --json` and `spelab read --to csv`."""

import json

import numpy as np
import pandas as pd
import pytest

import spelab
from conftest import shared_data, spelab_cli


@pytest.mark.parametrize("relative", ["instruments/biologic/gcpl.mpr", "instruments/gamry/eispot_data.dta"])
def test_a_corpus_file_into_pandas_is_what_the_cli_reads(relative, tmp_path):
    path = shared_data(relative)
    rec = spelab.read(path)
    summary = json.loads(spelab_cli("read", str(path), "--json").stdout)
    assert rec.format == summary["format"] and rec.technique == summary["technique"]
    assert rec.rows == summary["rows"] and rec.metadata == summary["metadata"]
    assert rec.columns == [f"{c['name']} [{c['unit']}]" for c in summary["columns"]]
    df = rec.to_pandas()
    assert df.shape == (summary["rows"], len(summary["columns"]))
    # Every value as the CLI exports it (shortest round-trip decimal: exact equality).
    csv = tmp_path / "out.csv"
    spelab_cli("read", str(path), "--to", "csv", "--out", str(csv))
    exported = pd.read_csv(csv)
    assert exported.columns.tolist() == df.columns.tolist()
    for column in df.columns:
        np.testing.assert_array_equal(df[column].to_numpy(dtype=float), exported[column].to_numpy(dtype=float))
