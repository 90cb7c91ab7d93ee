"""The reaper: the database's safety net under Celery messages.

Every worker runs one (a thread in its main process). Each pass fires due timers, re-announces
executions whose lease expired or whose happenings nobody picked up, and resends outbox
effects a crash left behind. Every one of those is idempotent, so any number of workers may
reap at once.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import bootsteps
from kombu.exceptions import ChannelError

log = logging.getLogger(__name__)
BUSY_PATIENCE = 10.0


def sweep() -> None:
    """One pass over everything the database says needs doing."""
    from designer.services import executions, outbox, timers

    # Behind a backlog, a missing message is more likely queued than lost: wait longer for it.
    patience = 1.0 if backlog() == 0 else BUSY_PATIENCE
    timers.fire_due()
    executions.nudge_stalled(patience)
    outbox.sweep(patience)


def backlog() -> int | None:
    """How many messages wait in the task queue; None when the broker cannot say."""
    from designer.celery import app

    try:
        with app.pool.acquire(block=True) as connection:
            queue = app.conf.task_default_queue
            return int(connection.default_channel.queue_declare(queue=queue, passive=True).message_count)
    except ChannelError as error:
        if "NOT_FOUND" in str(error):  # Redis keeps no empty list: no queue is an empty queue
            return 0
        return None
    except Exception:  # no answer is no evidence of an empty queue
        return None


class Reaper(threading.Thread):
    def __init__(self, interval: float) -> None:
        super().__init__(name="statecraft-reaper", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        from django.db import connection

        while not self.stopping.wait(self.interval):
            try:
                sweep()
            except Exception:  # the database may be restarting: log, reconnect, go on
                log.exception("The reaper's pass failed; trying again in %s s.", self.interval)
                connection.close()
        connection.close()


class ReaperStep(bootsteps.StartStopStep):  # type: ignore[misc]  # Celery is untyped
    """Runs a Reaper beside each Celery worker (STATECRAFT['REAPER_INTERVAL'] = 0 turns it off)."""

    # After the pool: prefork children are forked before the reaper's thread and connection exist.
    requires = ("celery.worker.components:Pool",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.reaper: Reaper | None = None

    def start(self, parent: Any) -> None:
        from django.conf import settings

        interval = settings.STATECRAFT["REAPER_INTERVAL"]
        if interval > 0:
            self.reaper = Reaper(interval)
            self.reaper.start()

    def stop(self, parent: Any) -> None:
        if self.reaper is not None:
            self.reaper.stopping.set()
            self.reaper.join(10)
            self.reaper = None

    shutdown = terminate = stop  # warm or cold, the reaper stops with its worker
