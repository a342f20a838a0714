import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

ArrayLike = Union[Sequence[float], np.ndarray]
Values = Union[None, Mapping[str, float], Sequence[float]]

def parameters(circuit: str) -> List[Tuple[str, str, str]]: ...

class FitResult:
    raw: Dict[str, Any]
    circuit: str
    parameters: Dict[str, float]
    std_errors: Dict[str, float]
    units: Dict[str, str]
    fixed: Dict[str, bool]
    chi2: float
    reduced_chi2: float
    pseudo_chi2: float
    termination: Any
    converged: bool
    def predict(self, frequency: ArrayLike) -> np.ndarray: ...

def fit(frequency: ArrayLike, impedance: ArrayLike, circuit: str, initial: Values = ...,
        fixed: Optional[Mapping[str, float]] = ..., weighting: str = ..., *, multistart: Optional[int] = ...,
        seed: int = ..., f_min: Optional[float] = ..., f_max: Optional[float] = ...,
        capacitive_only: bool = ..., auto_start: bool = ...) -> FitResult: ...
def fit_batch(frequency: ArrayLike, impedance: ArrayLike, circuit: str, initial: Values = ...,
              fixed: Optional[Mapping[str, float]] = ..., weighting: str = ..., *,
              multistart: Optional[int] = ..., seed: int = ..., auto_start: bool = ...) -> pd.DataFrame: ...
def kk(frequency: ArrayLike, impedance: ArrayLike, *, mu_cutoff: Optional[float] = ..., max_m: int = ...,
       fit: str = ..., add_capacitance: bool = ..., threshold: float = ..., f_min: Optional[float] = ...,
       f_max: Optional[float] = ..., capacitive_only: bool = ...) -> Dict[str, Any]: ...
def drt(frequency: ArrayLike, impedance: ArrayLike, *, points_per_decade: int = ...,
        lambda_: Optional[float] = ..., f_min: Optional[float] = ..., f_max: Optional[float] = ...,
        capacitive_only: bool = ...) -> Dict[str, Any]: ...
def conductivity(frequency: ArrayLike, impedance: ArrayLike, thickness: str, area: str, *,
                 circuit: Optional[str] = ..., elements: Sequence[str] = ..., weighting: str = ...,
                 thickness_error: Optional[str] = ..., area_error: Optional[str] = ...) -> Dict[str, Any]: ...

class CustomCircuit:
    circuit: str
    initial_guess: List[float]
    constants: Dict[str, float]
    name: Optional[str]
    parameters_: Optional[np.ndarray]
    conf_: Optional[np.ndarray]
    chi2_: Optional[float]
    def __init__(self, circuit: str = ..., initial_guess: Sequence[float] = ...,
                 constants: Optional[Mapping[str, float]] = ..., name: Optional[str] = ..., **kwargs: Any) -> None: ...
    def fit(self, frequencies: ArrayLike, impedance: ArrayLike, bounds: Any = ..., weight_by_modulus: bool = ...,
            **kwargs: Any) -> CustomCircuit: ...
    def predict(self, frequencies: ArrayLike, use_initial: bool = ...) -> np.ndarray: ...
    def get_param_names(self) -> Tuple[List[str], List[str]]: ...
    def plot(self, ax: Any = ..., f_data: Optional[ArrayLike] = ..., Z_data: Optional[ArrayLike] = ...,
             kind: str = ..., **kwargs: Any) -> Any: ...
    def save(self, filepath: Union[str, os.PathLike[str]]) -> None: ...
    def load(self, filepath: Union[str, os.PathLike[str]], fitted_as_initial: bool = ...) -> None: ...
