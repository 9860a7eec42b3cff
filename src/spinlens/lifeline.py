"""Worker processes that end with their parent.

A worker killed with its parent's `kill -9` (or by the OOM killer) would otherwise
live on, holding its models' memory. On Linux the kernel sends the worker SIGKILL
when its parent dies (prctl PR_SET_PDEATHSIG); everywhere a daemon thread also
watches the parent's process id and ends the worker when it changes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 1.0


def exit_with_parent(parent: int, poll: float = POLL_SECONDS) -> None:
    """End this process when process `parent` (the one that started it) dies."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl here: the watchdog below still ends the worker
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(
        target=watch, args=(parent, poll), name="spinlens-lifeline", daemon=True
    ).start()


def watch(parent: int, poll: float) -> None:
    """Poll the parent's id: an orphan is adopted by another process."""
    while os.getppid() == parent:
        time.sleep(poll)
    os._exit(1)
