"""`didban worker`: runs queued tasks, enqueues periodic work that is due, writes a heartbeat."""

from __future__ import annotations

import logging
import signal
import time
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from didban.core import periodic
from didban.core.actions import do_beat, do_forget_worker

logger = logging.getLogger("didban.worker")


class Command(BaseCommand):
    help = "Run background tasks and periodic work until stopped (Ctrl-C or SIGTERM)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds to sleep when idle"
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="one round: enqueue due work, run what is queued, exit",
        )
        parser.add_argument(
            "--batch-size", type=int, default=50, help="tasks per round between heartbeats"
        )

    def handle(self, *args, interval: float, once: bool, batch_size: int, **options):
        self.stopping = False
        self.inner: Worker | None = None
        worker_id = f"didban-{uuid.uuid4().hex[:12]}"
        started_at = timezone.now()
        tasks_run = 0
        if not once:
            signal.signal(signal.SIGINT, self._stop)
            signal.signal(signal.SIGTERM, self._stop)
        logger.info("worker %s started", worker_id)
        last_beat = 0.0
        try:
            while not self.stopping:
                close_old_connections()
                if time.monotonic() - last_beat >= settings.WORKER_HEARTBEAT_SECONDS or once:
                    do_beat(worker_id=worker_id, started_at=started_at, tasks_run=tasks_run)
                    last_beat = time.monotonic()
                for name in periodic.enqueue_due():
                    logger.info("enqueued periodic job %s", name)
                ran = self._run_queued(worker_id, batch_size)
                tasks_run += ran
                if once:
                    break
                if ran == 0 and not self.stopping:
                    time.sleep(interval)
        finally:
            close_old_connections()
            if not once:
                do_forget_worker(worker_id=worker_id)
            logger.info("worker %s stopped after %d tasks", worker_id, tasks_run)

    def _run_queued(self, worker_id: str, batch_size: int) -> int:
        self.inner = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=batch_size,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.inner.run()
        return self.inner._run_tasks

    def _stop(self, signum, frame):
        if self.stopping:
            raise SystemExit(1)
        logger.warning("stopping after the current task (press Ctrl-C again to force)")
        self.stopping = True
        if self.inner is not None:
            self.inner.running = False
