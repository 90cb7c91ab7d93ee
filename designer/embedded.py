"""The embedded mode's Celery worker: threads inside the server process, fed by the memory broker.

Messages in the memory broker die with the process; nothing else does. The database holds
every execution's state, timers and outbox, and the reaper (which this worker runs too)
re-announces whatever a lost message was about.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from typing import Any

from celery.worker import WorkController
from celery.worker import state as worker_state
from django.conf import settings

from designer import tasks
from designer.celery import app

_lock = threading.Lock()
_running: tuple[WorkController, threading.Thread] | None = None


class _Worker(WorkController):  # type: ignore[misc]  # Celery is untyped
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.consuming = threading.Event()
        super().__init__(*args, **kwargs)

    def on_consumer_ready(self, consumer: Any) -> None:
        self.consuming.set()


def start_if_embedded() -> None:
    """Start the in-process worker when there is no broker to talk to (no REDIS_URL)."""
    if settings.EMBEDDED and settings.STATECRAFT["EMBEDDED_WORKER_THREADS"] > 0:
        start()


def start(threads: int | None = None) -> WorkController:
    """Start the worker (once per process) and return when it consumes messages."""
    global _running
    with _lock:
        if _running is not None:
            return _running[0]
        app.finalize()
        app.set_current()
        worker = _Worker(
            app=app,
            pool="threads",
            concurrency=threads or settings.STATECRAFT["EMBEDDED_WORKER_THREADS"] or 4,
            hostname=f"embedded-{os.getpid()}@{socket.gethostname()}",
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
        )
        thread = threading.Thread(target=worker.start, name="statecraft-worker", daemon=True)
        thread.start()
        if not worker.consuming.wait(30):
            raise RuntimeError("The embedded Celery worker did not start within 30 seconds.")
        _running = (worker, thread)
        return worker


def stop(timeout: float = 10.0) -> None:
    """Stop the worker after the tasks it is running (tests; a server just exits)."""
    global _running
    with _lock:
        if _running is None:
            return
        _, thread = _running
        # A warm shutdown: the consume loop checks this flag (stop() from another thread is unsafe).
        worker_state.should_stop = 0
        # Wake the loop from its two-second wait for a message (a run of no execution does nothing).
        # Twice: after seeing the flag, the loop still waits for one more message before it exits.
        for _ in range(2):
            tasks.run_execution.delay(str(uuid.UUID(int=0)))
        thread.join(timeout)
        worker_state.should_stop = None
        _running = None
