"""The blocking client's machinery: the async client run on an event loop of its own thread.

`easify_async.Easify` is the async client run on a loop thread that the client owns, not
a second implementation: every call is the async call, run there as a task while the
calling thread waits. The signatures and docstrings of its groups are generated from the
async groups (``python -m easify_async._sync_gen``) into ``_sync_client``; this module
holds what is written once for all of them.

anyio's `BlockingPortal`, not ``synchronicity``: anyio is already the SDK's dependency and
its portal a small documented primitive, while ``synchronicity`` (one more dependency for
every user) builds its wrappers at run time, invisible to type checkers without a stub
generated beside them, which our generated module already is. The portal runs what is
not on the hot path (building the client and its groups, bulk runs' driver tasks,
stopping); a blocking call itself goes straight onto the loop (`Runner.call`: one thread
round trip instead of the portal's two, see benchmarks/bench_sync.py).

The loop thread is started here rather than by ``anyio.from_thread.start_blocking_portal``:
that one runs the loop in a ``ThreadPoolExecutor`` worker, which the interpreter joins at
exit, so a client never closed would hang the exit of a script. Ours is a daemon thread.
After a fork the thread does not exist in the child: the first call there starts another
and makes the clients on it again (`Runner._after_fork`).
"""

from __future__ import annotations

import _thread
import asyncio
import contextlib
import functools
import inspect
import os
import threading
import weakref
from collections.abc import (
    AsyncGenerator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
)
from concurrent.futures import Future
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import anyio
from anyio.from_thread import BlockingPortal

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._client import AsyncEasify
    from ._pagination import AsyncPaginator, Page
    from ._raw import RawResponses

__all__ = ["BlockingClient", "Paginator", "Runner", "SyncPage", "hold", "revealed"]

T = TypeVar("T")


def hold(token: object) -> object:
    """A token given to the blocking client, held as a `Secret` on its way to the loop:
    no ``repr`` of the call carrying it (a traceback's locals) shows it."""
    from ._secrets import Secret

    return Secret(token) if isinstance(token, str) else token


def revealed(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``function(...)`` with the `Secret` arguments given as the tokens they hold."""
    from ._secrets import Secret

    # Revealed straight into the call: no local of this frame (shown by a traceback with
    # locals, when the constructor refuses another argument) holds the token.
    return function(
        *args, **{k: v.reveal() if isinstance(v, Secret) else v for k, v in kwargs.items()}
    )


class Runner:
    """An event loop in a daemon thread of its own, and the calls into it."""

    _loop: asyncio.AbstractEventLoop

    def __init__(self) -> None:
        #: The clients on this loop, in the order they were made (parents first): rebuilt
        #: in a forked child, whose copy of this loop thread does not exist.
        self.clients: list[weakref.ref[BlockingClient]] = []
        #: After a fork: id of an async client or group of the parent's -> (it, its new one).
        self.moved: dict[int, tuple[Any, Any]] = {}
        self._fork_lock = threading.Lock()
        _RUNNERS.add(self)
        self._start_thread()

    def _start_thread(self) -> None:
        started: Future[BlockingPortal] = Future()
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(started,), name="easify-blocking", daemon=True
        )
        self._pid = os.getpid()
        self._thread.start()
        self._portal = started.result()

    def _run(self, started: Future[BlockingPortal]) -> None:
        async def serve() -> None:
            self._loop = asyncio.get_running_loop()
            async with BlockingPortal() as portal:
                started.set_result(portal)
                await portal.sleep_until_stopped()

        try:
            anyio.run(serve)
        finally:
            self._stopped.set()

    def _check(self) -> bool:
        """Whether the call may go ahead: raises if not. True after a fork: the client was
        made again (see `fresh`)."""
        if self._stopped.is_set():
            raise RuntimeError("the client is closed")
        forked = os.getpid() != self._pid
        if forked:
            self._after_fork()
        if threading.get_ident() == self._thread.ident:
            # A callback of the client's own (on_progress, a bulk run's item iterable)
            # runs on its loop thread: a blocking call there would wait for itself.
            raise RuntimeError(
                "a blocking Easify call from the client's own event loop thread (from an "
                "on_progress callback or a send_many items iterable) would wait for itself; "
                "use AsyncEasify in async code"
            )
        return forked

    def fresh(self, value: Any) -> Any:
        """``value``, or what replaced it when the client was made again after a fork: a
        call's arguments were read (``self._group.send``) before the call found the fork."""
        if inspect.ismethod(value):
            owner = self.moved.get(id(value.__self__))
            return value if owner is None else getattr(owner[1], value.__name__)
        moved = self.moved.get(id(value))
        return value if moved is None else moved[1]

    def _after_fork(self) -> None:
        """In a forked child: a loop thread of this process, and every client on it made
        again from its arguments (its own connections and, by default, its own limiter:
        a process keeps the budget it is given, as one made in it would)."""
        with self._fork_lock:
            if os.getpid() == self._pid:
                return  # another thread of the child got here first
            clients = [client for ref in self.clients if (client := ref()) is not None]
            if any(client._recipe is None for client in clients):
                # Its limiter, http_client or transport were made in the parent: a shared
                # socket or a Redis connection of the parent's loop cannot be reused here.
                raise RuntimeError(
                    f"this Easify client was created in process {self._pid}, before a fork, "
                    "with its own limiter, http_client or transport, which cannot be carried "
                    "into this process. Create the client in the child (gunicorn: on first "
                    "use or in post_fork, not at --preload import; Celery: in "
                    "worker_process_init; multiprocessing: in the target function)"
                )
            self._start_thread()
            for client in clients:
                client._rebuild()

    def call(self, function: Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any) -> T:
        """``await function(*args, **kwargs)`` on the loop; the caller's thread blocks.

        Interrupted (``KeyboardInterrupt``, or any exception raised in the waiting thread),
        the task is cancelled and waited for before the exception goes on: a rate-limit
        slot or pooled connection it held is released, not left to a task nobody awaits.
        """
        if self._check():
            function, args = self.fresh(function), tuple(map(self.fresh, args))
        # Straight onto the loop (always asyncio, ours) with a bare lock as the signal
        # back: the portal's start_task_soon waits for the loop to spawn the task (a second
        # thread round trip), and a concurrent Future's condition costs more than a lock;
        # together 0.5x an async send's CPU (benchmarks/bench_sync.py).
        loop = self._loop
        done = _thread.allocate_lock()
        done.acquire()
        tasks: list[asyncio.Future[T]] = []

        def start() -> None:
            task = asyncio.ensure_future(function(*args, **kwargs), loop=loop)
            task.add_done_callback(lambda _: done.release())
            tasks.append(task)

        try:
            loop.call_soon_threadsafe(start)
        except RuntimeError:  # the loop has just ended: the client was closed
            self._check()
            raise
        try:
            # Timed, so that a call the loop ended before starting (the client closed by
            # another thread meanwhile) raises rather than waits forever.
            while not done.acquire(timeout=1.0):
                if not self._thread.is_alive():
                    raise RuntimeError("the client was closed during the call")
        except BaseException:
            # Callbacks run in order: the task exists when this cancels it.
            with contextlib.suppress(RuntimeError):  # unless the loop has ended
                loop.call_soon_threadsafe(lambda: tasks[0].cancel())
            while not done.acquire(timeout=0.05) and self._thread.is_alive():
                pass
            if tasks and tasks[0].done() and not tasks[0].cancelled():
                tasks[0].exception()  # retrieved: asyncio logs no "never retrieved"
            raise
        if tasks[0].cancelled():  # by the end of the loop, not by this thread
            raise RuntimeError("the client was closed during the call")
        return tasks[0].result()

    def run_sync(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)`` on the loop thread (it may create anyio objects)."""
        if self._check():
            function, args = self.fresh(function), tuple(map(self.fresh, args))
            kwargs = {name: self.fresh(value) for name, value in kwargs.items()}
        # In a 1-tuple: the portal would await a result that is awaitable (a paginator).
        return self._portal.call(lambda: (function(*args, **kwargs),))[0]

    def generate(self, function: Callable[..., AsyncGenerator[T, None]], /, *args: Any,
                 **kwargs: Any) -> Generator[T, None, None]:  # fmt: skip
        """The async generator ``function(...)`` returns, as a plain generator.

        ``function`` runs now, on the loop (its argument errors are raised here, at the
        call, as the async one raises them); the generator is then driven by one task
        of its own, so that task groups inside it stay in one task across its yields.
        """
        agen = self.run_sync(function, *args, **kwargs)
        return _drive(self, self.run_sync(_Driver, agen))

    def paginate(
        self, function: Callable[..., AsyncPaginator[T]], /, *args: Any, **kwargs: Any
    ) -> Paginator[T]:
        """The `AsyncPaginator` ``function(...)`` returns, as a `Paginator`."""
        return Paginator(self, self.run_sync(function, *args, **kwargs))

    def stop(self) -> None:
        """End the loop (after the tasks still running) and its thread."""
        if os.getpid() != self._pid or self._stopped.is_set():
            return
        self._portal.call(self._portal.stop)
        self._thread.join()


class _Driver(Generic[T]):
    """One task that owns an async generator and steps it when asked."""

    def __init__(self, agen: AsyncGenerator[T, None]) -> None:
        self._agen = agen
        self._asks, self._asked = anyio.create_memory_object_stream[None]()
        self._answers, self._answered = anyio.create_memory_object_stream[tuple[bool, Any]]()
        self._scope = anyio.CancelScope()
        self._done = anyio.Event()

    async def step(self) -> tuple[bool, Any]:
        """(True, item), or (False, None) at the end; the generator's error is raised."""
        await self._asks.send(None)
        try:
            more, value = await self._answered.receive()
        except anyio.EndOfStream:
            return False, None
        if isinstance(value, BaseException) and not more:
            raise value
        return more, value

    async def run(self) -> None:
        """Step the generator once per request, until it ends or `close` is called."""
        try:
            # The generator is closed inside the scope: it may be suspended in scopes of
            # its own (a task group), which must be left before this one.
            with self._scope:
                try:
                    await self._serve()
                finally:
                    await self._agen.aclose()
        finally:
            self._done.set()

    async def _serve(self) -> None:
        async with self._asked, self._answers:
            async for _ in self._asked:
                try:
                    item = await self._agen.__anext__()
                except StopAsyncIteration:
                    await self._answers.send((False, None))
                    return
                except Exception as exc:  # handed to the caller, raised there
                    await self._answers.send((False, exc))
                    return
                await self._answers.send((True, item))

    async def close(self, *, cancel: bool) -> None:
        """Stop the generator: as an async ``break`` does (the requests out finish), or,
        for an interrupted caller, cancelled (nothing of it keeps running or holds a slot).
        """
        if cancel:
            self._scope.cancel()
        await self._asks.aclose()
        await self._answered.aclose()
        await self._done.wait()


def _drive(runner: Runner, driver: _Driver[T]) -> Generator[T, None, None]:
    runner._portal.start_task_soon(driver.run)
    cancel = True
    try:
        while True:
            more, item = runner.call(driver.step)
            if not more:
                cancel = False
                return
            try:
                yield item
            except GeneratorExit:
                cancel = False
                raise
    finally:
        if not runner._stopped.is_set() and os.getpid() == runner._pid:
            runner._portal.call(functools.partial(driver.close, cancel=cancel))


class SyncPage(Generic[T]):
    """One page of a list of the blocking client (`Page` of the async one).

    ``len(page)`` is the number of its items and iterating it gives them, as a list's.

    Attributes:
        items: the page's items.
        current_page: its number, from 1.
        last_page: the number of the last page of its query.
        per_page: the page size the server used.
        total: the number of items in all pages of its query.

    Examples:
        >>> page = easify.sms.templates(limit=20).first_page()  # doctest: +SKIP
        >>> while page.has_next_page():  # doctest: +SKIP
        ...     page = page.next_page()
    """

    def __init__(self, runner: Runner, page: Page[T]) -> None:
        self._runner = runner
        self._page = page
        self.items: list[T] = page.items
        self.current_page: int = page.current_page
        self.last_page: int = page.last_page
        self.per_page: int = page.per_page
        self.total: int = page.total

    def __repr__(self) -> str:
        return repr(self._page).replace("Page(", "SyncPage(", 1)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def has_next_page(self) -> bool:
        """Whether another page (of this query, or the next query) follows."""
        return self._page.has_next_page()

    def next_page(self) -> SyncPage[T]:
        """Fetch the next page, through the endpoint's rate limit.

        Raises:
            ValueError: there is no next page (check `has_next_page` first).
            APIError: the server answered another page than the one asked for.
        """
        return SyncPage(self._runner, self._runner.call(self._page.next_page))


class Paginator(Generic[T]):
    """Every item of a list of the blocking client, fetched page by page as it is walked.

    ``for`` gives every item of every page, each page fetched when it is reached, through
    the endpoint's rate limit; `first_page` gives the first `SyncPage`, `pages` every page.
    Nothing is fetched until then, and each walk starts again from the first page.

    Examples:
        >>> for template in easify.sms.templates():  # doctest: +SKIP
        ...     print(template.id, template.name)
    """

    def __init__(self, runner: Runner, paginator: AsyncPaginator[T]) -> None:
        self._runner = runner
        self._paginator = paginator

    def __repr__(self) -> str:
        return repr(self._paginator).replace("<AsyncPaginator", "<Paginator", 1)

    def first_page(self) -> SyncPage[T]:
        """Fetch the first page (what ``await`` gives on the async client's paginator)."""
        return SyncPage(self._runner, self._runner.call(_first_page, self._paginator))

    def pages(self) -> Iterator[SyncPage[T]]:
        """Every page, fetched one at a time as the iteration reaches it."""
        page = self.first_page()
        yield page
        while page.has_next_page():
            page = page.next_page()
            yield page

    def __iter__(self) -> Iterator[T]:
        # Page by page (the async items' own walk: `Page.has_next_page`, `next_page`), so
        # that a thread round trip is paid per page, not per item.
        for page in self.pages():
            yield from page.items


async def _first_page(paginator: AsyncPaginator[T]) -> Page[T]:
    return await paginator


#: Arguments that hold objects of the process (sockets, a Redis client): a client given
#: one is not made again in a forked child.
_PROCESS_BOUND = ("limiter", "http_client", "transport")


class BlockingClient:
    """What `Easify` adds to the generated surface: the runner, closing, ``with``."""

    _runner: Runner
    _client: AsyncEasify
    _owns_runner: bool
    #: How to make `_client` again after a fork (the token held as a `Secret`), or None.
    _recipe: Callable[..., AsyncEasify] | None
    _parent: BlockingClient | None

    def _start(self, make: Callable[..., AsyncEasify], /, **kwargs: Any) -> None:
        runner = Runner()
        try:
            self._client = runner.run_sync(revealed, make, **kwargs)
        except BaseException:
            runner.stop()
            raise
        self._runner = runner
        self._owns_runner = True
        self._parent = None
        bound = any(kwargs.get(name) is not None for name in _PROCESS_BOUND)
        self._recipe = None if bound else functools.partial(revealed, make, **kwargs)
        runner.clients.append(weakref.ref(self))

    def _child(self, with_options: Callable[..., AsyncEasify], /, **kwargs: Any) -> Self:
        client = self._runner.run_sync(revealed, with_options, **kwargs)
        child = object.__new__(type(self))
        child._runner = self._runner
        child._client = client
        child._owns_runner = False
        child._parent = self
        child._recipe = None if self._recipe is None else functools.partial(_with_options, kwargs)
        self._runner.clients.append(weakref.ref(child))
        return child

    def _rebuild(self) -> None:
        """Make the async client again on the runner's new loop (after a fork), and point
        the groups already built at the new one's."""
        assert self._recipe is not None
        parent = self._parent
        old = self._client
        if parent is None:
            self._client = self._runner.run_sync(self._recipe)
        else:
            self._client = self._runner.run_sync(functools.partial(self._recipe, parent._client))
        self._runner.moved[id(old)] = (old, self._client)
        for name, value in list(vars(self).items()):
            if not name.startswith("_") and hasattr(value, "_group"):  # a cached group
                _rebind(self._runner, value, self._runner.run_sync(getattr, self._client, name))

    def _group(self, name: str) -> Any:
        return self._runner.run_sync(getattr, self._client, name)

    @property
    def base_url(self) -> str:
        """The API root this client sends to."""
        return self._client.base_url

    def raw_responses(self) -> RawResponses:
        """A ``with`` block recording the raw reply of each call made inside it (in this
        thread): ``raw.last.status``, ``raw.last.headers``, ``raw.last.body``.

        As `AsyncEasify.raw_responses`: each call still returns its parsed result, and no
        second request is made. The calls run on the client's loop thread in a copy of
        this thread's context, which carries the block there.

        Examples:
            >>> with easify.raw_responses() as raw:  # doctest: +SKIP
            ...     sent = easify.sms.send("3152930000", "+13151350000", message="Hi")
            >>> raw.last.headers["X-RateLimit-Remaining"]  # doctest: +SKIP
            '59'
        """
        return self._client.raw_responses()

    def __repr__(self) -> str:
        return f"<Easify base_url={getattr(getattr(self, '_client', None), 'base_url', None)!r}>"

    def close(self) -> None:
        """Close the client (and, for the one the constructor made, its loop thread).

        As ``aclose`` of the async client: one made by ``with_options`` leaves the
        connection pool to the client it was made from. In a process forked after the
        client was made and before its first use there, closing only forgets it.
        """
        runner = self._runner
        if runner._stopped.is_set():
            return
        if os.getpid() != runner._pid:
            # Forked and not used in this process: nothing of it here to close.
            if self._owns_runner:
                runner._stopped.set()
            return
        try:
            runner.call(self._client.aclose)
        finally:
            if self._owns_runner:
                runner.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _with_options(kwargs: dict[str, Any], parent: AsyncEasify) -> AsyncEasify:
    return revealed(parent.with_options, **kwargs)


def _rebind(runner: Runner, blocking: Any, group: Any) -> None:
    """Point a blocking group, and the groups it holds (``v3.email``), at ``group``."""
    runner.moved[id(blocking._group)] = (blocking._group, group)
    blocking._group = group
    for name, value in vars(blocking).items():
        if not name.startswith("_") and hasattr(value, "_group"):
            _rebind(runner, value, getattr(group, name))


_RUNNERS: weakref.WeakSet[Runner] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # A lock another thread held at the fork stays held in the child: new ones.
    for runner in list(_RUNNERS):
        runner._fork_lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
