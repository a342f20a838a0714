"""``spelab.read``: an instrument file as a :class:`Recording`."""

import json
import os
from typing import Any, Dict, List, Union

import numpy as np

from . import _native


class Recording:
    """An instrument file as spelab reads it: columns with SI names and units.

    ``technique`` (the vendor's label, or None), ``format`` (spelab's format id), ``metadata`` (dict, as
    ``spelab read --json`` prints it), ``columns`` (list of ``"name [unit]"`` labels, as ``spelab read``
    prints them), ``units`` (label -> unit), ``rows``; ``data`` maps each label to a NumPy array (float64,
    int64 for indices and flags). ``to_pandas()`` / ``to_polars()`` give a DataFrame with those labels.
    """

    def __init__(self, raw: Dict[str, Any]) -> None:
        self.format: str = raw["format"]
        self.instrument: str = raw["instrument"]
        self.technique = raw["technique"]
        self.rows: int = raw["rows"]
        self.metadata: Dict[str, Any] = json.loads(raw["metadata"])
        self.data: Dict[str, np.ndarray] = {}
        self.units: Dict[str, str] = {}
        self.sources: Dict[str, str] = {}
        for name, unit, source, _derived, values in raw["columns"]:
            label = f"{name} [{unit}]"
            self.data[label] = values
            self.units[label] = unit
            self.sources[label] = source

    @property
    def columns(self) -> List[str]:
        """Column labels, ``"time [s]"``, in file order (derived columns last)."""
        return list(self.data)

    def to_pandas(self):
        """The columns as a pandas DataFrame (labels ``"voltage [V]"``)."""
        import pandas as pd

        return pd.DataFrame(self.data, copy=False)

    def to_polars(self):
        """The columns as a polars DataFrame (needs ``polars``)."""
        import polars as pl

        return pl.DataFrame(self.data)

    def __repr__(self) -> str:
        return (f"Recording(format={self.format!r}, technique={self.technique!r}, rows={self.rows}, "
                f"columns={self.columns!r})")


def read(path: Union[str, "os.PathLike[str]"]) -> Recording:
    """Reads an instrument file (format detected by content, as ``spelab read``).

    >>> import spelab
    >>> rec = spelab.read("cell.mpr")  # doctest: +SKIP
    >>> rec.to_pandas().columns[:2].tolist()  # doctest: +SKIP
    ['frequency [Hz]', 'z_real [Ohm]']

    Raises :class:`spelab.SpelabError` naming the file and line or byte offset on a damaged file.
    """
    return Recording(_native.read(os.fspath(path)))
