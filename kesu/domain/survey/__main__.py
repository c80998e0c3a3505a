"""`python -m kesu.domain.survey estimate ...` (same as `kesu survey estimate ...`)."""

import sys

from .cli import main

sys.exit(main())
