"""Production-mode fixtures: real `celery -A designer worker` processes on PostgreSQL and Redis.

Collected only inside the pytest that tests/designer/test_production_mode.py starts (with
DATABASE_URL, REDIS_URL and STATECRAFT_PRODUCTION_TESTS set).
"""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

if not os.environ.get("STATECRAFT_PRODUCTION_TESTS"):
    collect_ignore_glob = ["test_*.py"]

# Short enough that recovery from a killed worker takes seconds, not minutes.
RECOVERY = {
    "STATECRAFT_LEASE_SECONDS": "2",
    "STATECRAFT_CLAIM_SECONDS": "2",
    "STATECRAFT_RESEND_SECONDS": "2",
    "STATECRAFT_NUDGE_AFTER_SECONDS": "1",
    "STATECRAFT_REAPER_INTERVAL": "0.2",
}


@pytest.fixture(scope="session", autouse=True)
def clean_broker(django_db_setup, django_db_blocker):
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()  # messages of an earlier run
    yield
    from django.db import connection

    # Killed workers may leave sessions behind; the test database cannot be dropped under them.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


class Workers:
    """`celery -A designer worker` processes, each in a process group of its own (so kill -9 takes
    its pool children too, as a crashed machine would)."""

    def __init__(self, log_dir: Path) -> None:
        from django.db import connection

        db = connection.settings_dict
        self.env = {
            **os.environ,
            **RECOVERY,
            "DATABASE_URL": f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "STATECRAFT_FUNCTION_MODULES": "workload",
            "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        }
        self.log_dir = log_dir
        self.running: list[subprocess.Popen[bytes]] = []
        self.started = 0

    def start(self, count: int = 1, concurrency: int = 4) -> None:
        for _ in range(count):
            self.started += 1
            log = (self.log_dir / f"worker-{self.started}.log").open("wb")
            command = [sys.executable, "-m", "celery", "-A", "designer", "worker", "-l", "WARNING"]
            command += ["-c", str(concurrency), "-n", f"test-{uuid.uuid4().hex[:8]}@%h"]
            command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
            self.running.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    def kill(self) -> None:
        """kill -9, no warning, no cleanup: every message in flight is lost with the process."""
        for process in self.running:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        self.running = []

    def ensure_running(self) -> None:
        if not self.running:
            self.start()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.log_dir.glob("*.log")))


@pytest.fixture(scope="session")
def workers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Worker processes, shared by the tests (booting one takes seconds); killed at the end."""
    with django_db_blocker.unblock():
        running = Workers(tmp_path_factory.mktemp("workers"))
    yield running
    running.kill()
