"""The Celery app of the Celery fleet test (tests/ledgers/test_celery_fleet.py): one task
that sends job ``n``'s SMS with the blocking ``Easify``, keyed ``job-n``.

The test starts ``celery -A tests.ledgers.celery_tasks worker`` processes, configured by
the environment: ``FLEET_REDIS_URL`` (broker, result backend, ledger and limiter: one
durable redis-server), ``FLEET_PREFIX`` (the run's keys), ``FLEET_BASE_URL`` (the served
sandbox), ``FLEET_PERIOD`` (its scaled minute) and ``FLEET_RUNNING`` (a directory where
each worker says it runs jobs). The test process sends the jobs with
an app of its own built from `settings` (same broker, same queue).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from celery import Celery, Task
from celery.signals import task_prerun

from easify_async import Easify
from easify_async.errors import UnknownOutcomeError
from easify_async.sandbox import DEMO_TOKEN
from tests.ledgers._fleet import job_sms, worker_options

#: Seconds after which the broker hands a job that nobody acknowledged to another worker.
VISIBILITY_TIMEOUT = 3


def settings(redis_url: str, prefix: str) -> dict[str, Any]:
    """The Celery configuration that the workers and the test's producer share."""
    return {
        "broker_url": redis_url,
        "result_backend": redis_url,
        "task_default_queue": f"{prefix}:jobs",
        "broker_connection_retry_on_startup": True,
        # One unacknowledged job per worker: a prefetched job would count against the
        # visibility timeout while it waits behind the one running.
        "worker_prefetch_multiplier": 1,
        "broker_transport_options": {
            # The Redis transport's own redelivery: a job taken but neither acknowledged
            # nor rejected (its worker's main process died, so nobody rejected it) is put
            # back on the queue once it has been out VISIBILITY_TIMEOUT seconds (Celery's
            # default is an hour). A send takes well under a second, so a live worker's
            # job is hardly ever handed out twice, and when it is, its key makes the
            # second run wait for the first's outcome rather than send. The sweep that
            # looks for such jobs runs every unacked_restore_interval x
            # unacked_restore_throttle seconds (100 by default): every second here.
            "visibility_timeout": VISIBILITY_TIMEOUT,
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
            # The sweep holds a Redis lock while it runs, which lives 5 minutes when its
            # holder is SIGKILLed mid-sweep (a whole worker lost, as the test does): no
            # sweep until then. A sweep takes milliseconds.
            "unacked_mutex_expire": 2,
            # No global_keyprefix: kombu 5.7 prefixes the SET that takes the mutex of
            # the sweep above but not the script that releases it, so the mutex stays
            # held for unacked_mutex_expire (5 min) and nothing more is put back.
        },
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
    }


app = Celery("tests.ledgers.celery_tasks", set_as_current=False)
if "FLEET_REDIS_URL" in os.environ:  # in a worker
    app.conf.update(settings(os.environ["FLEET_REDIS_URL"], os.environ["FLEET_PREFIX"]))

_easify: Easify | None = None


@task_prerun.connect
def _running(**_: object) -> None:
    """Tell the test that this worker runs jobs (a file named by its main process id):
    only then may its pool process be killed. One killed earlier, before the worker's
    loop checked that its pool started, stops the whole worker."""
    Path(os.environ["FLEET_RUNNING"], str(os.getppid())).touch()


def _client() -> Easify:
    """This process's client, made on its first job: a pool process forked by Celery
    (again after a kill) makes its own, with its own connections to the ledger."""
    global _easify
    if _easify is None:
        options = worker_options(
            os.environ["FLEET_REDIS_URL"],
            os.environ["FLEET_PREFIX"],
            float(os.environ["FLEET_PERIOD"]),
        )
        _easify = Easify(DEMO_TOKEN, base_url=os.environ["FLEET_BASE_URL"], **options)
    return _easify


# acks_late: a job is acknowledged when it returns, not when a worker takes it, so it is
# not gone with a worker that dies; reject_on_worker_lost: the worker's main process
# rejects, with requeue, the job of a pool process that died (SIGKILL, OOM), putting it
# back at the head of the queue (without it, the job is marked failed: WorkerLostError).
@app.task(name="fleet.send_job", bind=True, acks_late=True, reject_on_worker_lost=True)
def send_job(self: Task, job: int) -> dict[str, Any]:
    """Send job ``job``'s SMS once; a job whose earlier run was cut off mid-request is
    reported ambiguous by its key (it is not sent again: settle the key)."""
    report: dict[str, Any] = {
        "job": job,
        "redelivered": bool((self.request.delivery_info or {}).get("redelivered")),
    }
    try:
        sent = _client().sms.send(**job_sms(job))
    except UnknownOutcomeError as error:
        return {**report, "ambiguous": error.key}
    return {**report, "sms_id": sent.sms_id}
