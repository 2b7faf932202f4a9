"""Bulk imports pause the cyclic collector and always give it back as it was (nested, on error)."""

from __future__ import annotations

import gc

import pytest

from pare_desktop.core.gcpause import collector_paused


def test_paused_inside_restored_after_nested_blocks_and_errors() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
