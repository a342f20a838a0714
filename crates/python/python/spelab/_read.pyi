import os
from typing import Any, Dict, List, Optional, Union

import numpy as np
import pandas as pd

class Recording:
    format: str
    instrument: str
    technique: Optional[str]
    rows: int
    metadata: Dict[str, Any]
    data: Dict[str, np.ndarray]
    units: Dict[str, str]
    sources: Dict[str, str]
    @property
    def columns(self) -> List[str]: ...
    def to_pandas(self) -> pd.DataFrame: ...
    def to_polars(self) -> Any: ...

def read(path: Union[str, os.PathLike[str]]) -> Recording: ...
