"""pytest plugin: run one module's tests once, then each mutant in a forked copy of the warmed-up process.

Loaded by run.py as `-p mutation.plugin` with MUTATION_MODULE (a file path) and MUTATION_RESULT (where the
JSON verdicts go). The baseline run records, through sys.monitoring, which tests execute which function of
the module; a mutant then runs only the tests that reach its function (every test that reaches the module
for a constant), fastest first, stopping at the first failure. Django, the test database and the collected
tests are set up once: a fork costs milliseconds where a fresh pytest costs seconds.
"""

import builtins
import importlib
import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from _pytest.runner import runtestprotocol

from mutation.mutate import mutants

_TOOL = 4  # a sys.monitoring tool id that coverage (1) and debuggers (0) do not use


class _KeepSession:
    """A `nextitem` whose chain is the session alone: teardown stops there, the test database stays."""

    def __init__(self, session):
        self.session = session

    def listchain(self):
        return [self.session]


def _function(obj):
    if isinstance(obj, property):
        obj = obj.fget
    elif isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    while hasattr(obj, "__wrapped__"):
        obj = obj.__wrapped__
    return obj


def _swap(old, new) -> None:
    """Give the live function (the one every importer holds) the mutant's code, under any decorator."""
    target, source = _function(old), _function(new)
    target.__code__ = source.__code__
    target.__defaults__ = source.__defaults__
    target.__kwdefaults__ = source.__kwdefaults__
    if hasattr(old, "cache_clear"):
        old.cache_clear()


def apply(module, mutant) -> None:
    namespace = {
        "__name__": module.__name__,
        "__file__": module.__file__,
        "__package__": module.__package__,
        "__spec__": module.__spec__,
        "__builtins__": builtins,
    }
    exec(compile(mutant.source, module.__file__, "exec"), namespace)  # noqa: S102 - the mutant under test
    kind = mutant.scope[0]
    if kind == "function":
        _swap(getattr(module, mutant.scope[1]), namespace[mutant.scope[1]])
    elif kind == "method":
        _, cls, name = mutant.scope
        _swap(vars(getattr(module, cls))[name], vars(namespace[cls])[name])
    else:
        missing = object()
        for name in mutant.scope[1:]:
            old, new = getattr(module, name), namespace[name]
            setattr(module, name, new)
            for other in list(sys.modules.values()):
                if other is not module and getattr(other, name, missing) is old:
                    setattr(other, name, new)
        # Defaults are evaluated once, at definition: a constant used as one must reach them too.
        for name, value in vars(module).items():
            if callable(value) and getattr(value, "__module__", None) == module.__name__ and name in namespace:
                if isinstance(value, type):
                    continue
                target, source = _function(value), _function(namespace[name])
                if hasattr(target, "__defaults__") and hasattr(source, "__defaults__"):
                    target.__defaults__, target.__kwdefaults__ = source.__defaults__, source.__kwdefaults__


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session):
    if session.testsfailed or session.config.option.collectonly:
        return None
    path = Path(os.environ["MUTATION_MODULE"])
    result_path = Path(os.environ["MUTATION_RESULT"])
    module = importlib.import_module(".".join(path.with_suffix("").parts))
    filename = str(Path(module.__file__).resolve())
    items = session.items
    keep = _KeepSession(session)

    hits: dict[str, set[str]] = {item.nodeid: set() for item in items}
    current = {"id": None}
    monitoring = sys.monitoring

    def on_start(code, _offset):
        if code.co_filename == filename and current["id"]:
            hits[current["id"]].add(code.co_qualname.split(".<")[0])
        return monitoring.DISABLE

    monitoring.use_tool_id(_TOOL, "mutation")
    monitoring.register_callback(_TOOL, monitoring.events.PY_START, on_start)
    monitoring.set_events(_TOOL, monitoring.events.PY_START)
    durations = {}
    started = time.perf_counter()
    try:
        for i, item in enumerate(items):
            current["id"] = item.nodeid
            monitoring.restart_events()
            t0 = time.perf_counter()
            reports = runtestprotocol(item, nextitem=items[i + 1] if i + 1 < len(items) else keep, log=True)
            durations[item.nodeid] = time.perf_counter() - t0
            if any(r.failed for r in reports):
                result_path.write_text(json.dumps({"error": f"the tests fail without a mutant: {item.nodeid}"}))
                session.testsfailed += 1
                return True
    finally:
        monitoring.set_events(_TOOL, 0)
        monitoring.register_callback(_TOOL, monitoring.events.PY_START, None)
        monitoring.free_tool_id(_TOOL)
    baseline = time.perf_counter() - started

    ordered = sorted(items, key=lambda it: durations[it.nodeid])
    todo = []
    for mutant in mutants(path.read_text(encoding="utf-8")):
        if mutant.scope[0] == "constant":
            chosen = [it for it in ordered if hits[it.nodeid]]
        else:
            key = mutant.scope[1] if mutant.scope[0] == "function" else f"{mutant.scope[1]}.{mutant.scope[2]}"
            chosen = [it for it in ordered if key in hits[it.nodeid]]
        todo.append((mutant, chosen))

    verdicts = _run_all(module, todo, durations, keep)
    result_path.write_text(
        json.dumps(
            {
                "module": str(path),
                "baseline_seconds": round(baseline, 2),
                "mutants": [{"id": m.id, "line": m.lineno, "status": verdicts[m.id]} for m, _ in todo],
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    return True


def _run_all(module, todo, durations, keep) -> dict[str, str]:
    verdicts: dict[str, str] = {}
    workers = max(1, int(os.environ.get("MUTATION_WORKERS") or os.cpu_count() or 1))
    running: dict[int, tuple] = {}
    queue = list(todo)
    while queue or running:
        while queue and len(running) < workers:
            mutant, chosen = queue.pop(0)
            if not chosen:
                verdicts[mutant.id] = "no_tests"
                continue
            budget = 10 * sum(durations[it.nodeid] for it in chosen) + 10
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _child(module, mutant, chosen, keep)
            running[pid] = (mutant, time.monotonic() + budget)
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            now = time.monotonic()
            for child, (mutant, deadline) in list(running.items()):
                if now > deadline:
                    os.kill(child, signal.SIGKILL)
                    os.waitpid(child, 0)
                    verdicts[mutant.id] = "timeout"
                    del running[child]
            time.sleep(0.005)
            continue
        mutant, _deadline = running.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        verdicts[mutant.id] = {0: "survived", 1: "killed", 3: "error"}.get(code, "killed")
        print(f"{verdicts[mutant.id]:>8}  {mutant.id}", flush=True)
    return verdicts


def _child(module, mutant, chosen, keep):
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        try:
            apply(module, mutant)
        except Exception:  # noqa: BLE001 - a mutant that cannot even load is caught by any test importing it
            os._exit(3)
        for item in chosen:
            reports = runtestprotocol(item, nextitem=keep, log=False)
            if any(r.failed for r in reports):
                os._exit(1)
        os._exit(0)
    except BaseException:  # noqa: BLE001 - a mutant that crashes the run is a caught mutant
        os._exit(1)
