"""Simulations as DataFrames: ``symmetric`` (Li | SPE | Li, ``spelab simulate symmetric``) and
``full_cell`` (LFP | SPE | Li rate test, DFN or SPM, ``spelab simulate full-cell``).

Each returns the recorded data as a pandas DataFrame with SI units in the column names (the CLI's
``--to csv`` columns: ``time_s``, ``voltage_V``, ...); ``df.attrs["summary"]`` holds the run's summary.
Values are unit strings as on the command line (``current="0.2 mA/cm2"``).

>>> df = spelab.simulate.symmetric(material="pvh", protocol="constant", current="1 mA/cm2",
...                                duration="10 min", sample_interval="60 s")
>>> df.columns[:3].tolist(), len(df) > 5
(['time_s', 'current_A', 'voltage_V'], True)
"""

import json
from typing import Any, Optional

from . import _native

__all__ = ["symmetric", "full_cell"]


def _frame(table: Any, summary: str):
    import pandas as pd

    names, values = table
    df = pd.DataFrame(dict(zip(names, values)), copy=False)
    for column in ("cycle", "step"):  # whole numbers, carried as float64 by the native table
        df[column] = df[column].astype("int64")
    df.attrs["summary"] = json.loads(summary)
    return df


def symmetric(material: str = "pvh-im", protocol: str = "cycling", current: str = "0.2 mA/cm2",
              voltage: str = "10 mV", duration: str = "1 h", half_cycle: str = "1 h", rest: str = "0 s",
              cycles: int = 10, steps: int = 100, voltage_limit: Optional[str] = None,
              temperature: Optional[str] = None, thickness: Optional[str] = None, salt: str = "1 mol/L",
              area: str = "1 cm2", sample_interval: str = "60 s", noise_seed: Optional[int] = None,
              film: Optional[str] = None):
    """The Li | SPE | Li cell of ``material`` (preset or parameter file) under ``protocol``
    (``cycling``, ``constant``, ``ccd``, ``ca``, ``lsv``); the record with the model's voltage breakdown
    (``eta_x0_V``, ``ohmic_V``, ``diffusion_V``, ...). Summary: protocol, stop reason, simulated CCD."""
    table, summary = _native.simulate_symmetric(
        material, protocol, current, voltage, duration, half_cycle, rest, cycles, steps, voltage_limit,
        temperature, thickness, salt, area, sample_interval, noise_seed, film)
    return _frame(table, summary)


def full_cell(material: str = "pvh-im", c_rates: str = "0.1,0.2,0.5,1,0.5,0.2,0.1", cycles: int = 3,
              model: Optional[str] = None, rest: str = "0 s", temperature: Optional[str] = None,
              thickness: Optional[str] = None, salt: str = "1 mol/L", area: str = "1 cm2",
              voltage_step: str = "2 mV"):
    """The LFP | SPE | Li rate test of ``material``: ``cycles`` cycles at each C-rate of ``c_rates``
    with ``model`` (``"dfn"`` by default, or ``"spm"``). Summary: the CLI's ``--json`` summary (the cell,
    per-cycle capacities (mAh/g) and CE, rate blocks, recovery)."""
    table, summary = _native.simulate_full_cell(material, c_rates, cycles, model, rest, temperature,
                                                thickness, salt, area, voltage_step)
    return _frame(table, summary)
