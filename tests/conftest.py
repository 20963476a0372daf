"""Test set-up: point the data loader at the shared data when this checkout has it beside it."""

import os
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

if "ZTH_DATA_DIR" not in os.environ and (SHARED_DATA / "names.txt").is_file():
    os.environ["ZTH_DATA_DIR"] = str(SHARED_DATA)
