"""The bundle's entry point: the console script's ``main``, after multiprocessing's start-up, which a
frozen program needs for the processes it spawns (``orderdesk hub --workers N``, the import
pipeline's workers): a spawned child runs this same executable and must not reach ``main``."""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from orderdesk.app.cli.main import main

    sys.exit(main())
