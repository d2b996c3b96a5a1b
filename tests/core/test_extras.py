"""A missing extra is one line naming it; a missing module of ours is still a bug."""

from __future__ import annotations

import pytest

from easify_async._extras import MissingExtraError, needs_extra


def test_a_missing_third_party_module_names_the_extra() -> None:
    """One line with the pip command, a ModuleNotFoundError chained from the original."""
    with pytest.raises(MissingExtraError) as caught, needs_extra("redis", "RedisLimiter"):
        import easify_no_such_distribution  # type: ignore[import-not-found]  # noqa: F401
    error = caught.value
    assert str(error) == (
        "RedisLimiter needs the 'redis' extra ('easify_no_such_distribution' is not "
        'installed): pip install "easify-async[redis]"'
    )
    assert isinstance(error, ModuleNotFoundError)
    assert (error.extra, error.name) == ("redis", "easify_no_such_distribution")
    assert isinstance(error.__cause__, ModuleNotFoundError)


def test_a_missing_module_of_the_package_is_not_blamed_on_an_extra() -> None:
    """A module of easify_async that cannot be found is a bug: re-raised unchanged."""
    with pytest.raises(ModuleNotFoundError) as caught, needs_extra("cli", "easify"):
        import easify_async._no_such_module  # type: ignore[import-not-found]  # noqa: F401
    assert type(caught.value) is ModuleNotFoundError


def test_the_innermost_extra_is_named() -> None:
    """`easify demo` without the sandbox extra names sandbox, not the outer cli."""
    with (
        pytest.raises(MissingExtraError) as caught,
        needs_extra("cli", "easify"),
        needs_extra("sandbox", "easify_async.sandbox"),
    ):
        import easify_no_such_distribution  # noqa: F401  (mypy reports a missing module once: above)
    assert caught.value.extra == "sandbox"
