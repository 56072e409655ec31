"""The Ray Data engine: the local engine's contract, run by a pool of Ray actors.

The driver cuts the items into the same batches as the local engine and hands them to Ray Data
as rows of (sequence number, pickled batch). ``map_batches`` with a callable class runs the
:class:`~dsbuild.process.ConversationProcessor`, so its heavy state (the PII engine) is built
once per actor, not per batch. The driver puts the results back in input order, so the global
steps it does next (dedup, split, manifest counts) see exactly what the local engine yields and
the output is identical.

Batches travel pickled, as bytes: raw export items are heterogeneous nested JSON that Arrow
would coerce into one inferred schema, and outcomes are Python records; bytes pass through
untouched. They hold unredacted text and live only in Ray's object store for the run; dsbuild
never persists them (Ray may spill the object store to its temp dir under memory pressure, see
docs/ray.md).

Ray is imported only here, only for ``--engine ray``; without it the user gets an install hint.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
from collections.abc import Iterable, Iterator
from typing import Any

from dsbuild.config import RayConfig
from dsbuild.counters import RunCounters
from dsbuild.engines.local import batched
from dsbuild.errors import DsbuildError, RemoteError, UsageError
from dsbuild.process import ConversationProcessor, Outcome

INSTALL_HINT = "pip install 'dsbuild[ray]'"
Result = tuple[list[Outcome], RunCounters]


def import_ray() -> Any:
    """Import Ray, or fail with one line that says how to install it."""
    # Ray phones home with usage stats unless told not to; dsbuild makes no such call.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
        import ray.data  # noqa: F401  (the Data library is the part we need)
    except ImportError as exc:
        raise UsageError(f"--engine ray needs Ray Data, which is not installed ({exc});"
                         f" install it with: {INSTALL_HINT}") from None
    return ray


class BatchWorker:
    """The Ray Data actor: one processor per actor, fed (seq, pickled batch) rows."""

    def __init__(self, processor: ConversationProcessor):
        self.processor = processor
        # Build heavy state (the PII engine) as the actor starts, as the local pool's initialiser
        # does, so a missing model fails at start-up rather than inside a batch.
        warm_up = getattr(processor, "warm_up", None)
        if callable(warm_up):
            warm_up()

    def __call__(self, rows: Any) -> dict[str, list[Any]]:
        results = [pickle.dumps(self._run(pickle.loads(p)), protocol=pickle.HIGHEST_PROTOCOL)
                   for p in rows["payload"].to_pylist()]
        return {"seq": rows["seq"].to_pylist(), "payload": results}

    def _run(self, batch: list[Any]) -> Result | DsbuildError:
        try:
            return self.processor(batch)
        except DsbuildError as exc:  # a user's error: the driver raises it as the local engine would
            return exc


def in_input_order(rows: Iterable[dict[str, Any]], expected: int) -> Iterator[Result]:
    """Yield results by sequence number, whatever order they arrive in; all must arrive."""
    pending: dict[int, bytes] = {}
    nxt = received = 0
    for row in rows:
        received += 1
        pending[int(row["seq"])] = row["payload"]
        while nxt in pending:
            result = pickle.loads(pending.pop(nxt))
            if isinstance(result, DsbuildError):
                raise result
            yield result
            nxt += 1
    if nxt != expected or pending:
        # Never seen; but a silently shorter dataset would be worse than a failed run.
        raise DsbuildError(f"the Ray engine returned {received} of {expected} batches;"
                           " nothing was written")


def actor_count(ray: Any, settings: RayConfig) -> int:
    """Actors for the pool: as configured, or what the cluster's CPUs allow with one to spare.

    Actors that hold every CPU can starve Ray Data's other tasks and hang the dataset
    (ray-project/ray#44687), hence the spare CPU.
    """
    if settings.actors:
        return settings.actors
    cpus = float(ray.cluster_resources().get("CPU", 1))
    return max(1, int((cpus - 1) // settings.cpus_per_actor))


def check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail fast on a cluster address nothing listens on: Ray itself retries for minutes."""
    host, _, port = address.split("://", 1)[-1].rpartition(":")
    if not host or not port.isdigit():
        return  # "auto" or a form only Ray understands: let it decide
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise RemoteError(f"cannot reach the Ray cluster at {address} ({exc.strerror or exc});"
                          " check --ray-address or RAY_ADDRESS") from None


def _start(ray: Any, settings: RayConfig) -> bool:
    """Connect to the configured cluster or start a local Ray; True if we started it."""
    if ray.is_initialized():
        return False
    # A local Ray needs no dashboard; a cluster keeps whatever it was started with.
    extra: dict[str, Any] = {"include_dashboard": False}
    if settings.address:
        check_reachable(settings.address)
        extra = {}
    try:
        ray.init(address=settings.address or None, logging_level="WARNING", log_to_driver=False,
                 **extra)
    except ConnectionError as exc:
        raise RemoteError(f"cannot reach the Ray cluster at {settings.address}: {exc}") from None
    return True


def _quiet(ray: Any) -> None:
    """dsbuild prints its own progress and summary; Ray Data's console chatter goes to its log."""
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    for handler in logging.getLogger("ray.data").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setLevel(logging.ERROR)


def run_ray(processor: ConversationProcessor, items: Iterable[Any],
            settings: RayConfig) -> Iterator[Result]:
    """Yield (outcomes, stats) per batch in input order, as :func:`run_local` does."""
    ray = import_ray()
    rows = [{"seq": i, "payload": pickle.dumps(b, protocol=pickle.HIGHEST_PROTOCOL)}
            for i, b in enumerate(batched(items, settings.batch_size))]
    n = len(rows)
    if not n:
        return
    started = _start(ray, settings)
    try:
        _quiet(ray)
        # One block per batch, so every actor gets work from the start.
        ds = ray.data.from_items(rows, override_num_blocks=n)
        del rows
        ds = ds.map_batches(
            BatchWorker,
            fn_constructor_kwargs={"processor": processor},
            batch_size=1,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=actor_count(ray, settings)),
            num_cpus=settings.cpus_per_actor,
            udf_modifying_row_count=False,
        )
        try:
            yield from in_input_order(ds.iter_rows(), expected=n)
        except ray.exceptions.RayError as exc:
            raise DsbuildError(
                "a Ray worker failed (Ray's error is above; --debug shows the traceback); if it"
                " cannot import dsbuild or its model, install the same dsbuild[ray] on every node"
                " (docs/ray.md)") from exc
    finally:
        if started:
            ray.shutdown()
