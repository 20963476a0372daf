"""Test set-up: point the data loader at the shared data when this checkout has it beside it."""

import os
from pathlib import Path

from hypothesis import settings

# In CI, property tests explore the same examples on every run: a failure there is reproducible,
# never a coin flip. Locally they keep exploring new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

if "ZTH_DATA_DIR" not in os.environ and (SHARED_DATA / "names.txt").is_file():
    os.environ["ZTH_DATA_DIR"] = str(SHARED_DATA)
