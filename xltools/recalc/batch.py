"""Many workbooks at once, fit for CI: one bad workbook never stops the others.

Every workbook ends as an ``Outcome`` — a bad input, a refusal, even a fault in xltools is that
workbook's exit code and Danish lines. A worker process pickles its outcome itself, so a result that
cannot travel becomes that workbook's internal error rather than the batch's crash. ``fail_fast``
stops after the first workbook that is not fine; Ctrl+C lets the files being written finish, starts
no more, and still hands back every outcome, the rest marked as not run.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.errors import Internal
from xltools.recalc.engine import Outcome, recalc
from xltools.workbook.files import folders_synced_once, leave_folder_syncs_to_parent, sync_folders

if TYPE_CHECKING:
    from concurrent.futures import Future

NOT_RUN_AFTER_FAILURE = "ikke kørt: --fail-fast stoppede efter den første fejl"
NOT_RUN_INTERRUPTED = "ikke kørt: afbrudt med Ctrl+C"
FILES_PER_WORKER = 4
BYTES_PER_WORKER = 256 * 1024
"""Below this many files and bytes per worker, starting processes costs more than it saves: a few
small Ressourceberegnere are done before a worker is up, while two full Målstyring years (≈ 0.5 MB,
over a second each) are worth a process each."""


class Interrupted(KeyboardInterrupt):
    """Ctrl+C during a batch; ``outcomes`` holds every workbook's, those not finished as not run."""

    def __init__(self, outcomes: list[Outcome]) -> None:
        super().__init__()
        self.outcomes = outcomes


def recalc_many(
    paths: Sequence[Path],
    check: bool = False,
    as_of: date | None = None,
    jobs: int = 1,
    force: bool = False,
    fail_fast: bool = False,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Recompute ``paths`` (in ``jobs`` processes when there are enough files to share); the outcomes
    come back in the order of ``paths``, and ``on_outcome`` hears each one as it is known."""
    batch = _Batch([Path(path) for path in paths], fail_fast, on_outcome)
    task = partial(recalc, check=check, as_of=as_of, force=force)
    try:
        if not _worth_a_pool(batch.paths, jobs):
            with folders_synced_once():
                batch.run_here(task)
        else:
            try:
                batch.run_in_pool(partial(_packed, task), min(jobs, len(batch.paths)))
            finally:  # the workers left their folders' syncs to this process
                sync_folders(Path(os.path.realpath(path)).parent for path in batch.paths)
    except KeyboardInterrupt:
        raise Interrupted(batch.completed(NOT_RUN_INTERRUPTED)) from None
    return batch.completed(NOT_RUN_AFTER_FAILURE)


def _worth_a_pool(paths: Sequence[Path], jobs: int) -> bool:
    if jobs <= 1 or len(paths) <= 1:
        return False
    return len(paths) >= FILES_PER_WORKER * jobs or sum(map(_size, paths)) >= BYTES_PER_WORKER * jobs


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # missing or unreadable: that file's own outcome says so
        return 0


class _Batch:
    """The outcomes known so far, and when to stop."""

    def __init__(self, paths: list[Path], fail_fast: bool, on_outcome: Callable[[Outcome], None] | None) -> None:
        self.paths = paths
        self.outcomes: list[Outcome | None] = [None] * len(paths)
        self.fail_fast = fail_fast
        self.on_outcome = on_outcome

    def record(self, index: int, outcome: Outcome) -> bool:
        """Keep ``outcome``; True when the batch should stop."""
        self.outcomes[index] = outcome
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        return self.fail_fast and not outcome.ok

    def completed(self, reason: str) -> list[Outcome]:
        return [
            outcome or Outcome.not_run(path, reason) for path, outcome in zip(self.paths, self.outcomes, strict=True)
        ]

    def run_here(self, task: Callable[[Path], Outcome]) -> None:
        for index, path in enumerate(self.paths):
            if self.record(index, task(path)):
                return

    def run_in_pool(self, task: Callable[[Path], bytes], workers: int) -> None:
        from concurrent.futures import ProcessPoolExecutor, as_completed  # a pool's first use: not one file's

        pool = ProcessPoolExecutor(workers, initializer=_start_worker)
        futures: dict[Future[bytes], int] = {}
        try:
            futures = {pool.submit(task, path): index for index, path in enumerate(self.paths)}
            for future in as_completed(futures):
                if self.record(futures[future], self._unpacked(future, futures[future])):
                    return
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # files being written are finished, no new ones start
            for future, index in futures.items():  # those that finished while stopping ran: they count
                if self.outcomes[index] is None and future.done() and not future.cancelled():
                    self.record(index, self._unpacked(future, index))

    def _unpacked(self, future: Future[bytes], index: int) -> Outcome:
        from concurrent.futures.process import BrokenProcessPool  # imported with the pool already

        path = self.paths[index]
        try:
            outcome = pickle.loads(future.result())
        except BrokenProcessPool:
            return Outcome.failed(
                path,
                Internal(
                    "intern fejl i xltools (BrokenProcessPool): en arbejdsproces stoppede uventet, fx uden hukommelse"
                    " – rapportér det med filen"
                ),
            )
        except Exception as error:  # a worker's outcome that could not be read back
            return Outcome.failed(path, error)
        assert isinstance(outcome, Outcome)
        return outcome


def _packed(task: Callable[[Path], Outcome], path: Path) -> bytes:
    """Run ``task`` in a worker and pickle its outcome here, where a failure to pickle can still be told."""
    try:
        outcome = task(path)
    except BaseException as error:  # even SystemExit from a tool must not reach the main process as such
        outcome = Outcome.failed(path, error)
    try:
        return pickle.dumps(outcome)
    except Exception as error:
        return pickle.dumps(Outcome.failed(outcome.path, error, outcome.tool))


def _start_worker() -> None:
    """Workers leave Ctrl+C to the main process, which lets them finish the file they are writing, and
    the folders' syncs, which it does once the batch is done."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    leave_folder_syncs_to_parent()
