from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

Progress = Union[bool, Callable[[int, int], None]]

def fit_chunk(start: int, frequency: np.ndarray, impedance: np.ndarray, circuit: str,
              options: Dict[str, Any]) -> pd.DataFrame: ...
def simulate_chunk(kind: str, start: int, parameter_sets: Sequence[Mapping[str, Any]]) -> pd.DataFrame: ...
def fit_spectra(frequency: Any, impedance: Any, circuit: str, *, client: Any = ..., chunk_size: Optional[int] = ...,
                initial: Any = ..., fixed: Optional[Mapping[str, float]] = ..., weighting: str = ...,
                multistart: Optional[int] = ..., seed: int = ..., auto_start: bool = ...,
                progress: Progress = ...) -> pd.DataFrame: ...
def simulate_many(kind: str, parameter_sets: Sequence[Mapping[str, Any]], *, client: Any = ...,
                  chunk_size: Optional[int] = ..., progress: Progress = ...) -> pd.DataFrame: ...
