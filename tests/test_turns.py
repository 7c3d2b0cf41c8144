"""The suite's turns (tests/conftest.py): a test's ``alone_turn`` block waits for the other
worker's running test and keeps the other worker's next test out until the block ends.

Two threads stand for the two pytest-xdist workers (``flock`` locks belong to open files, so two
opens in one process conflict as two processes would).
"""

from __future__ import annotations

import threading
import time

from conftest import _alone_within, _turn


def test_an_alone_block_waits_for_the_other_test_and_keeps_the_next_one_out(tmp_path):
    order: list[str] = []
    other_running, other_may_end, alone_started = (threading.Event() for _ in range(3))

    def other_worker():
        with _turn(tmp_path, alone=False):
            other_running.set()
            other_may_end.wait(10)
            order.append("other test ends")
        alone_started.wait(10)
        with _turn(tmp_path, alone=False):  # the other worker's next test
            order.append("next test starts")

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert other_running.wait(10)
        with _turn(tmp_path, alone=False) as running:  # both tests share the machine
            order.append("this test starts")
            entering = threading.Thread(target=other_may_end.set)
            timer = threading.Timer(0.3, entering.start)  # let the other test end later
            timer.start()
            with _alone_within(tmp_path, running):
                order.append("alone block starts")
                alone_started.set()
                time.sleep(0.3)  # the next test would start here if nothing kept it out
                order.append("alone block ends")
            order.append("this test ends")
    finally:
        other_may_end.set()
        alone_started.set()
        thread.join(10)
    assert order[:4] == ["this test starts", "other test ends", "alone block starts",
                         "alone block ends"], order
    assert "next test starts" in order[4:], order
