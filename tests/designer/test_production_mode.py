"""Production mode: PostgreSQL, Redis and real `celery -A designer worker` processes.

The tests live in tests/designer/production and run in a pytest of their own, started here,
because this session's Django settings (SQLite, the memory broker) are fixed when it starts.
Each xdist worker gets its own database and Redis database. Skipped, with the reason, where
PostgreSQL (127.0.0.1:5432, user postgres) or Redis (127.0.0.1:6379) cannot be reached.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("STATECRAFT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("STATECRAFT_TEST_REDIS", "redis://127.0.0.1:6379")


def unreachable() -> str | None:
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except psycopg.Error as error:
        return f"PostgreSQL at {POSTGRES} is unreachable ({error})"
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis at {REDIS} is unreachable ({error})"
    return None


def test_the_production_suite_passes_on_postgresql_redis_and_celery_workers(worker_id):
    problem = unreachable()
    if problem is not None:
        pytest.skip(f"Production mode not tested: {problem}. Start both to run tests/designer/production.")
    number = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    env = {
        **os.environ,
        "DATABASE_URL": f"{POSTGRES}/statecraft_{worker_id}",
        "REDIS_URL": f"{REDIS}/{1 + number % 15}",
        "SECRET_KEY": "statecraft-production-tests",
        "STATECRAFT_PRODUCTION_TESTS": "1",
    }

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/designer/production", "-p", "no:cacheprovider", "-rs"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )

    print(run.stdout[-3000:])
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
