"""The product's settings, unchanged, with the benchmark's URLconf on top.

Only two things differ from production: the URLconf adds the ceiling view, and
collectstatic may write into a scratch directory so a run never touches ``var/static``.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
