"""spelab from Python: solid polymer electrolyte battery research on spelab's Rust library.

- :func:`read` -- an instrument file as a :class:`Recording` (pandas / polars DataFrames, SI labels);
- :mod:`spelab.eis` -- circuit fits (``fit``, impedance.py's ``CustomCircuit``), ``kk``, ``drt``,
  ``conductivity``;
- :mod:`spelab.analyze` -- one analysis step on files (``spelab.analyze.ccd("staircase.csv", area="1 cm2")``);
- :mod:`spelab.simulate` -- ``symmetric`` and ``full_cell`` runs as DataFrames;
- :func:`run_study` -- a study file run, its metrics.json document returned;
- :mod:`spelab.distributed` -- many fits or simulations on Dask or Ray.

Every computation releases the GIL; errors are :class:`SpelabError`.

>>> import numpy as np, spelab
>>> f = np.logspace(5, -1, 30)
>>> z = spelab.eis.CustomCircuit("R0-p(R1,C1)", initial_guess=[10, 100, 1e-6]).predict(f, use_initial=True)
>>> round(spelab.eis.fit(f, z, "R0-p(R1,C1)").parameters["R1"], 6)
100.0
"""

import json as _json
import os as _os
from typing import Any, Dict, Optional, Union

from . import _native
from ._errors import SpelabError
from ._read import Recording, read
from . import eis, analyze, simulate  # noqa: E402

__version__: str = _native.__version__

__all__ = ["read", "Recording", "SpelabError", "run_study", "eis", "analyze", "simulate", "__version__"]


def run_study(path: Union[str, "_os.PathLike[str]"],
              out: Optional[Union[str, "_os.PathLike[str]"]] = None) -> Dict[str, Any]:
    """Runs a study file (as ``spelab run``) and returns its metrics.json document.

    ``out``: the run directory (metrics, figures, report.html); None runs into a temporary folder that
    is removed afterwards.

    >>> doc = spelab.run_study("examples/pvh-im.toml", out="runs/pvh-im")  # doctest: +SKIP
    >>> [m["id"] for m in doc["metrics"]][:1]  # doctest: +SKIP
    ['ionic_conductivity']
    """
    return _json.loads(_native.run_study(_os.fspath(path), None if out is None else _os.fspath(out)))
