"""Headless Chromium driven over its DevTools pipe: load a page, await a promise in it.

``--remote-debugging-pipe`` makes Chromium read DevTools commands from fd 3 and write
replies and events to fd 4, each message JSON ended by a NUL byte. No package needed,
and the answer comes when the page's promise settles, not when a timer guesses it has.
"""
from __future__ import annotations

import fcntl
import json
import os
import select
import subprocess
import time


class DevToolsPipe:
    def __init__(self, chromium: str, timeout: float):
        self._deadline = time.monotonic() + timeout
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def onto_3_and_4():  # in the child, before exec; high copies first, so neither end clobbers the other
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, replies_write)]
            for target, fd in zip((3, 4), high):
                os.dup2(fd, target)

        self._process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "about:blank"],
            pass_fds=(3, 4), preexec_fn=onto_3_and_4, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(replies_write)
        self._buffer, self._last_id = b"", 0
        self._events = []  # events that arrived while a reply was awaited

    def send(self, method: str, session: str | None = None, **params) -> int:
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        return self._last_id

    def next_message(self) -> dict:
        while b"\0" not in self._buffer:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._replies], [], [], remaining)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise EOFError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: str | None = None, **params) -> dict:
        """Send a command and wait for its reply; events meanwhile are kept for ``wait_for``."""
        wanted = self.send(method, session, **params)
        while True:
            message = self.next_message()
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self._events.append(message)

    def wait_for(self, method: str, session: str) -> dict:
        def wanted(message):
            return message.get("method") == method and message.get("sessionId") == session

        for event in self._events:
            if wanted(event):
                return event
        while not wanted(event := self.next_message()):
            pass
        return event

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except OSError:
            pass
        os.close(self._commands)
        os.close(self._replies)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def evaluate_after_load(chromium: str, url: str, expression: str, timeout: float = 120):
    """The value that ``expression`` (a promise of JSON-able data) settles to, once ``url`` has loaded."""
    pipe = DevToolsPipe(chromium, timeout)
    try:
        target = pipe.call("Target.createTarget", url="about:blank")["targetId"]
        session = pipe.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        pipe.call("Page.enable", session)
        pipe.call("Page.navigate", session, url=url)
        pipe.wait_for("Page.loadEventFired", session)
        result = pipe.call("Runtime.evaluate", session, expression=expression, awaitPromise=True, returnByValue=True)
    finally:
        pipe.close()
    if "exceptionDetails" in result:
        raise RuntimeError(f"the page failed: {result['exceptionDetails']}")
    return result["result"]["value"]
