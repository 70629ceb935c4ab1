"""`python -m kata ...`: the kata's commands. See `python -m kata --help`."""

import sys

from kata.cli import main

sys.exit(main())
