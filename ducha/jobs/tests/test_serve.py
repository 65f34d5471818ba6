"""`ducha serve` starts a background-job worker beside the web server unless told not to."""

import pytest
from django.core.management import call_command

from ducha.core.management.commands import serve


@pytest.mark.parametrize(("args", "expected"), [((), True), (("--no-worker",), False)])
def test_serve_starts_a_worker_unless_told_not_to(monkeypatch, args, expected):
    started = {}
    monkeypatch.setattr(serve, "ensure_port_free", lambda host, port: None)
    monkeypatch.setattr(
        serve,
        "run_gunicorn",
        lambda host, port, workers, job_worker_too: started.update(worker=job_worker_too),
    )
    call_command("serve", "--no-migrate", *args)
    assert started == {"worker": expected}


def test_the_worker_process_is_stopped_with_the_server(monkeypatch):
    calls = []

    class FakeProcess:
        def __init__(self, argv):
            calls.append(("start", argv[-1]))

        def terminate(self):
            calls.append(("terminate",))

        def wait(self, timeout=None):
            calls.append(("wait",))

    monkeypatch.setattr(serve.subprocess, "Popen", FakeProcess)
    with pytest.raises(SystemExit), serve.job_worker():
        raise SystemExit  # gunicorn's arbiter ends with SystemExit on SIGTERM/SIGINT
    assert calls == [("start", "worker"), ("terminate",), ("wait",)]
