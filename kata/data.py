"""The shipped NASA GISTEMP data (see data/PROVENANCE.md), loaded as tensors."""

import csv
import hashlib
from pathlib import Path

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


def load_frame(path: Path = DATA_FILE):
    """The CSV as a pandas DataFrame with columns Year, No_Smoothing, Lowess(5); 143 rows."""
    import pandas as pd  # here, not at the top: the checks need no pandas, and it takes 0.4 s

    check_file(path)
    return pd.read_csv(path, skiprows=1)


def load_xy(path: Path = DATA_FILE) -> tuple[torch.Tensor, torch.Tensor]:
    """x = (Year - 1880) / 100 and y = the annual anomaly in degrees C.

    Returns x (143, 1) and y (143, 1), both float32.
    """
    check_file(path)
    with path.open(newline="") as file:
        rows = list(csv.reader(file))[1:]  # a title (quoted, over two lines), then the table
    header, table = rows[0], rows[1:]
    columns = [header.index("Year"), header.index("No_Smoothing")]
    years, anomaly = torch.tensor([[float(row[c]) for c in columns] for row in table]).T
    x = (years.reshape(-1, 1) - FIRST_YEAR) / 100.0
    y = anomaly.reshape(-1, 1)
    return x, y
