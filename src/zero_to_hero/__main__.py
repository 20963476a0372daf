"""``python -m zero_to_hero``: the ``zero-to-hero`` command (also what torchrun runs)."""

import sys

from zero_to_hero.cli.main import main

sys.exit(main())
