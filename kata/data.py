"""The shipped NASA GISTEMP data (see data/PROVENANCE.md), loaded as tensors."""

import hashlib
from pathlib import Path

import pandas as pd
import torch

from kata.manifest import ROOT

DATA_FILE = ROOT / "data" / "gistemp_loti_2023-01.csv"
DATA_SHA256 = "40511df216f176996ff833a67beb57465d22e550824709bd239eedb54a4215f9"
FIRST_YEAR = 1880.0


class DataError(RuntimeError):
    """The data file is missing or is not the shipped one."""


def check_file(path: Path = DATA_FILE) -> None:
    """Raise DataError unless `path` exists and has the shipped checksum."""
    if not path.is_file():
        raise DataError(f"data file not found: {path}. Restore it with `git checkout -- data/`.")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != DATA_SHA256:
        raise DataError(
            f"data file {path} has been changed (sha256 {digest}, expected {DATA_SHA256}). "
            "Restore it with `git checkout -- data/`."
        )


def load_frame(path: Path = DATA_FILE) -> pd.DataFrame:
    """The CSV as a DataFrame with columns Year, No_Smoothing, Lowess(5); 143 rows."""
    check_file(path)
    return pd.read_csv(path, skiprows=1)


def load_xy(path: Path = DATA_FILE) -> tuple[torch.Tensor, torch.Tensor]:
    """x = (Year - 1880) / 100 and y = the annual anomaly in degrees C.

    Returns x (143, 1) and y (143, 1), both float32.
    """
    frame = load_frame(path)
    years = frame["Year"].to_numpy(dtype="float32")
    anomaly = frame["No_Smoothing"].to_numpy(dtype="float32")
    x = (torch.from_numpy(years).reshape(-1, 1) - FIRST_YEAR) / 100.0
    y = torch.from_numpy(anomaly).reshape(-1, 1)
    return x, y
