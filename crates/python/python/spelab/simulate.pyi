from typing import Optional

import pandas as pd

def symmetric(material: str = ..., protocol: str = ..., current: str = ..., voltage: str = ...,
              duration: str = ..., half_cycle: str = ..., rest: str = ..., cycles: int = ..., steps: int = ...,
              voltage_limit: Optional[str] = ..., temperature: Optional[str] = ..., thickness: Optional[str] = ...,
              salt: str = ..., area: str = ..., sample_interval: str = ..., noise_seed: Optional[int] = ...,
              film: Optional[str] = ...) -> pd.DataFrame: ...
def full_cell(material: str = ..., c_rates: str = ..., cycles: int = ..., model: Optional[str] = ...,
              rest: str = ..., temperature: Optional[str] = ..., thickness: Optional[str] = ..., salt: str = ...,
              area: str = ..., voltage_step: str = ...) -> pd.DataFrame: ...
