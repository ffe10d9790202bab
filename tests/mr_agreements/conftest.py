"""Make the project root importable when pytest runs without the project's own configuration."""

import sys
from pathlib import Path

# The lead owns the root conftest and pytest settings; until they put the project root on
# sys.path (e.g. `pythonpath = ["."]`), `pytest tests/mr_agreements` would not find the package.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
