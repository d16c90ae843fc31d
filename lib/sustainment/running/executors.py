"""Where work runs: a process pool on this machine (the default) or a Dask cluster, behind one
small interface (`submit`, `completed`, `outcome`, `map`, `stop`), so that the renderer and the
sweeps do not care which. Outputs do not depend on the executor: tasks return their results as
values, never by writing into reports/.

Dask: without a scheduler address, a `distributed.LocalCluster` with one single-threaded worker
process per job slot, started and closed with the run (its workers die with the renderer, as the
pool's do); with `scheduler="tcp://host:8786"`, the workers of a cluster started elsewhere
(`dask scheduler`, `dask worker tcp://host:8786 --nthreads 1` on each machine), which need the
installed package and read access to the project at the same path.
"""

from __future__ import annotations

import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sustainment.errors import ExecutorError, ParameterError, WorkerDied

EXECUTORS = ("pool", "dask")


class Executor(ABC):
    """Where tasks run: submit them, collect their outcomes as they complete, stop at once or close."""

    workers: int

    @abstractmethod
    def submit(self, function: Callable, *args): ...

    @abstractmethod
    def completed(self, futures) -> Iterator: ...

    @abstractmethod
    def outcome(self, future):
        """The task's result; WorkerDied when the process running it was killed."""

    @abstractmethod
    def stop(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    def map(self, function: Callable, arguments: list[tuple]) -> list:
        """`function(*args)` for each of `arguments`, results in order."""
        return [self.outcome(f) for f in [self.submit(function, *args) for args in arguments]]


class PoolExecutor(Executor):
    """A spawn-context process pool whose workers run `initializer(*initargs)` once."""

    def __init__(self, workers: int, initializer: Callable | None = None, initargs: tuple = ()):
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_start_worker,
                                        initargs=(initializer, initargs))

    def submit(self, function: Callable, *args):
        return self.pool.submit(function, *args)

    def completed(self, futures) -> Iterator:
        from concurrent.futures import as_completed

        return as_completed(futures)

    def outcome(self, future):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            raise WorkerDied from None

    def stop(self) -> None:
        """Stop every worker now (Ctrl-C): queued tasks are cancelled, running ones killed."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    """A pool worker's start: die with the process that started the pool (kill -9 included: no
    worker renders or sweeps on for a dead run), then the pool's own initializer."""
    _die_with_parent()
    if initializer is not None:
        initializer(*initargs)


def _die_with_parent() -> None:
    """In a worker (of a pool, or of a LocalCluster): be killed when the process that started it dies."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the line above ran
            os._exit(1)


CONNECT_SECONDS = 20  # an external scheduler must complete Dask's handshake this fast


def _answer_within(scheduler: str, seconds: float) -> None:
    """ExecutorError unless `scheduler` completes Dask's handshake within `seconds`: a port that
    accepts and never answers would otherwise hang the client, and one that answers with other
    bytes (a web server) would end in a traceback."""
    import asyncio

    from distributed.comm import connect

    async def handshake() -> None:
        comm = await asyncio.wait_for(connect(scheduler, timeout=seconds), seconds)
        await comm.close()

    try:
        asyncio.run(handshake())
    except (asyncio.TimeoutError, TimeoutError):
        raise ExecutorError(f"dask scheduler {scheduler}: no Dask answer within {seconds} s") from None
    except (MemoryError, ValueError, TypeError):  # something answered, but its bytes are not Dask's frames
        raise ExecutorError(f"dask scheduler {scheduler}: something answers there, but not Dask") from None
    except Exception as err:  # refused, unreachable, a bad address
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ExecutorError(f"dask scheduler {scheduler}: not reachable ({first})") from None


class DaskExecutor(Executor):
    """A Dask client: on a LocalCluster of `workers` single-threaded processes, or on `scheduler`."""

    def __init__(self, workers: int, scheduler: str = "", initializer: Callable | None = None, initargs: tuple = ()):
        try:
            import distributed
        except ImportError:
            raise ExecutorError("--executor dask needs Dask: pip install -e '.[dask]' (make test installs it)") from None
        import logging

        self.cluster, self.workers = None, workers
        if scheduler:
            _answer_within(scheduler, CONNECT_SECONDS)
        try:
            if scheduler:
                self.client = distributed.Client(scheduler, timeout=f"{CONNECT_SECONDS}s")
            else:
                self.cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                        dashboard_address=None, silence_logs=logging.CRITICAL)
                self.client = distributed.Client(self.cluster)
                self.client.run(_die_with_parent)
        except OSError as err:
            raise ExecutorError(f"dask scheduler {scheduler or 'LocalCluster'}: {str(err).splitlines()[0]}") from None
        if scheduler:
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        if initializer is not None:
            self.client.run(initializer, *initargs)

    def submit(self, function: Callable, *args):
        return self.client.submit(function, *args, pure=False)

    def completed(self, futures) -> Iterator:
        import distributed

        return distributed.as_completed(list(futures))

    def outcome(self, future):
        import distributed

        try:
            return future.result()
        except distributed.KilledWorker:
            raise WorkerDied from None

    def stop(self) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def choose(kind: str, scheduler: str = "", default: str = "pool") -> str:
    """The executor asked for: `kind`, else "dask" when a scheduler is named, else `default` ("" for
    no executor: this process); ParameterError (a usage mistake, exit 2) for an unknown kind or a
    scheduler without Dask."""
    kind = kind or ("dask" if scheduler else default)
    if kind and kind not in EXECUTORS:
        raise ParameterError(f"--executor {kind!r}: expected one of {', '.join(EXECUTORS)}")
    if scheduler and kind != "dask":
        raise ParameterError("--scheduler needs --executor dask")
    return kind


@contextmanager
def executor(kind: str, workers: int, scheduler: str = "", initializer: Callable | None = None, initargs: tuple = ()):
    """The executor `kind` ("pool" or "dask", as `choose` returned it: the command line is checked
    there, once) for a block; stopped at once if the block raises (Ctrl-C included), closed when it ends."""
    if kind not in EXECUTORS:
        raise ValueError(f"executor kind {kind!r}: call choose() first")
    running = (DaskExecutor(workers, scheduler, initializer, initargs) if kind == "dask"
               else PoolExecutor(workers, initializer, initargs))
    try:
        yield running
    except BaseException:
        running.stop()
        raise
    finally:
        running.close()


def default_workers(jobs: int | None, tasks: int) -> int:
    """`jobs`, else the number of cores, never more than the tasks."""
    return max(1, min(jobs or os.cpu_count() or 1, tasks))
