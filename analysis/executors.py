"""Executors for the batches: a process pool on this machine, or a Dask cluster.

Both batches (:func:`analysis.extraction.pipeline.extract_all`, the report grid of
:func:`analysis.reports.render.render_grid`) take any ``concurrent.futures`` executor.
:func:`dask_executor` gives one backed by a ``dask.distributed`` cluster: an existing one by
its scheduler address (``tcp://host:8786``), or ``local`` for a :class:`LocalCluster` started
here (and stopped afterwards). The workers need this package installed (same lock file).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager


class SchedulerError(RuntimeError):
    """The Dask scheduler cannot be reached or started; the message says which and why."""


@contextmanager
def dask_executor(scheduler: str, workers: int = 0, timeout: float = 20.0) -> Iterator[Executor]:
    """A ``concurrent.futures`` executor on a Dask cluster, closed on exit.

    ``scheduler`` is a scheduler address, or ``local`` to start a :class:`LocalCluster` of
    ``workers`` single-threaded worker processes (0: one per core).
    """
    import logging

    from distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                   processes=True, dashboard_address=None, silence_logs=logging.WARNING)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        yield client.get_executor()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
