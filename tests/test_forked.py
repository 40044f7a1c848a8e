"""forked.beside: work in a forked child beside work here, and every way back to doing it here."""
import os
import threading

import pytest

from gdanim import forked
from gdanim.errors import ConfigError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def test_work_runs_in_a_child_while_this_process_runs_meanwhile():
    here, ran = os.getpid(), []
    result = forked.beside(lambda: (os.getpid(), [1.5, 2.5]), lambda: ran.append(os.getpid()))
    assert ran == [here]
    assert result[0] != here and result[1] == [1.5, 2.5]


def test_an_error_in_the_work_is_raised_here_by_doing_it_again():
    calls = []

    def work():
        calls.append(os.getpid())
        raise ConfigError("--lr must be above 0, got -1")

    with pytest.raises(ConfigError, match=r"^--lr must be above 0, got -1$"):
        forked.beside(work, lambda: None)
    assert calls == [os.getpid()]  # the child's call is not seen here; this process made its own


def test_a_result_that_cannot_be_pickled_is_made_here():
    made_in = []

    def work():
        made_in.append(os.getpid())
        return threading.Lock()  # no pickle for locks

    assert forked.beside(work, lambda: None) is not None
    assert made_in == [os.getpid()]


def test_an_interrupted_meanwhile_kills_and_reaps_the_child():
    read, write = os.pipe()

    def work():
        os.write(write, str(os.getpid()).encode())
        threading.Event().wait(60)  # would outlive the test if not killed

    started = []

    def meanwhile():
        started.append(int(os.read(read, 32)))  # the child is at work
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        forked.beside(work, meanwhile)
    os.close(read), os.close(write)
    (child,) = started
    with pytest.raises(ChildProcessError):  # reaped already: nothing left to wait for
        os.waitpid(child, os.WNOHANG)
