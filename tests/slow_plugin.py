"""A plugin whose fact deriver takes its time, for the batch's time limit and stop signals.

A unit whose name starts with ``Lambat`` sleeps for ``PATUH_TEST_SLEEP`` seconds (default 30)
in ``patuh_derive_facts``; with ``Macet`` in the name it first blocks SIGALRM, as code stuck in
a C call would be deaf to it. Registered by the tests in their own process, or, run as a
script, it registers itself and runs ``patuh`` with the given arguments (a real command-line
process to send signals to)."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pluggy

hookimpl = pluggy.HookimplMarker("patuh")
NAME = "slow-test-plugin"


class Slow:
    @hookimpl
    def patuh_derive_facts(self, manifest: Mapping[str, Any], base_dir: Path | None,
                           as_of: date) -> Mapping[str, Any] | None:
        name = str((manifest.get("unit") or {}).get("nama", ""))
        if name.startswith("Lambat"):
            if "Macet" in name:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(float(os.environ.get("PATUH_TEST_SLEEP", "30")))
        return None


def register() -> None:
    from patuh import manager

    pm = manager.get_plugin_manager()
    if pm.get_plugin(NAME) is None:
        pm.register(Slow(), name=NAME)


def unregister() -> None:
    from patuh import manager

    pm = manager.get_plugin_manager()
    if pm.get_plugin(NAME) is not None:
        pm.unregister(name=NAME)


if __name__ == "__main__":
    register()
    from patuh.cli import main

    sys.exit(main(sys.argv[1:]))
