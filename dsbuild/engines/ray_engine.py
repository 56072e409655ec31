"""The Ray engine: the local engine's contract, run by a pool of Ray actors.

Each actor holds one :class:`~dsbuild.process.ConversationProcessor`, so its heavy state (the
PII engine) is built once per actor, not per batch. The driver cuts the items into the same
batches as the local engine as it reads them and keeps a bounded window in flight: at most
:data:`QUEUED_PER_ACTOR` calls queued on each actor, and at most :data:`WINDOW_PER_ACTOR`
batches per actor submitted and not yet handed on (a slow batch holds the ones after it until
it is done). A batch goes to the actor with the fewest calls queued. Results are handed on in
input order, so the global steps the driver does next (dedup, split, manifest counts) see
exactly what the local engine yields and the output is identical; the driver's memory is that
window, whatever the size of the export.

Batches hold unredacted text and live only in Ray's object store while in flight; dsbuild
never persists them (Ray may spill the object store to its temp dir under memory pressure, see
docs/ray.md).

Ray is imported only here, only for ``--engine ray``; without it the user gets an install hint.
"""

from __future__ import annotations

import os
import socket
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain
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
    except ImportError as exc:
        raise UsageError(f"--engine ray needs Ray, which is not installed ({exc});"
                         f" install it with: {INSTALL_HINT}") from None
    return ray


class BatchWorker:
    """The actor: one processor per actor, fed batches of raw items."""

    def __init__(self, processor: ConversationProcessor):
        self.processor = processor
        # Build heavy state (the PII engine) as the actor starts, as the local pool's initialiser
        # does, so a missing model fails at start-up rather than inside a batch.
        warm_up = getattr(processor, "warm_up", None)
        if callable(warm_up):
            warm_up()

    def run(self, batch: list[Any]) -> Result | DsbuildError:
        try:
            return self.processor(batch)
        except DsbuildError as exc:  # a user's error: the driver raises it as the local engine would
            return exc


QUEUED_PER_ACTOR = 2  # one batch running, one waiting on the actor: no idle gap between batches
WINDOW_PER_ACTOR = 4  # submitted, not yet handed on: room for the others to run past a slow batch


def in_input_order(ray: Any, actors: list[Any], batches: Iterable[list[Any]]) -> Iterator[Result]:
    """Run ``batches`` on ``actors``, a bounded window at a time, yielding results in order."""
    window = WINDOW_PER_ACTOR * len(actors)
    queued = [0] * len(actors)
    order: deque[Any] = deque()  # refs in input order, submitted and not yet handed on
    actor_of: dict[Any, int] = {}  # refs still running -> their actor
    it = iter(batches)
    more = True
    while True:
        while more and len(order) < window and min(queued) < QUEUED_PER_ACTOR:
            batch = next(it, None)
            if batch is None:
                more = False
                break
            a = queued.index(min(queued))
            ref = actors[a].run.remote(batch)
            del batch  # in the object store now; the driver keeps only the reference
            queued[a] += 1
            order.append(ref)
            actor_of[ref] = a
        if not order:
            return
        if order[0] in actor_of:  # wait for any running batch, to refill its actor at once
            done, _ = ray.wait(list(actor_of), num_returns=1)
            for ref in done:
                queued[actor_of.pop(ref)] -= 1
        while order and order[0] not in actor_of:
            result = ray.get(order.popleft())
            if isinstance(result, DsbuildError):
                raise result
            yield result


def actor_count(ray: Any, settings: RayConfig) -> int:
    """Actors for the pool: as configured, or what the cluster's CPUs allow with one to spare.

    The spare CPU is the driver's: it reads the export and does the global steps (dedup,
    split, writing) while the actors run.
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


def run_ray(processor: ConversationProcessor, items: Iterable[Any],
            settings: RayConfig) -> Iterator[Result]:
    """Yield (outcomes, stats) per batch in input order, as :func:`run_local` does."""
    ray = import_ray()
    batches = batched(items, settings.batch_size)
    first = next(batches, None)
    if first is None:
        return
    started = _start(ray, settings)
    actors: list[Any] = []
    try:
        worker = ray.remote(BatchWorker).options(num_cpus=settings.cpus_per_actor)
        actors = [worker.remote(processor) for _ in range(actor_count(ray, settings))]
        try:
            yield from in_input_order(ray, actors, chain([first], batches))
        except ray.exceptions.RayError as exc:
            raise DsbuildError(
                "a Ray worker failed (Ray's error is above; --debug shows the traceback); if it"
                " cannot import dsbuild or its model, install the same dsbuild[ray] on every node"
                " (docs/ray.md)") from exc
    finally:
        for actor in actors:  # on a cluster that outlives the run, the pool goes with it
            ray.kill(actor)
        if started:
            ray.shutdown()
