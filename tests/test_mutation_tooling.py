"""make mutation's own configuration and machinery: the files parse, name real modules and tests, every
equivalent still is a mutant of the current code, and decorated functions and constants really are mutated."""

import functools
import sys
import textwrap
import types
from pathlib import Path

import pytest

from mutation import run
from mutation.mutate import mutants
from mutation.plugin import apply

ROOT = Path(run.__file__).resolve().parent.parent


def test_every_listed_module_exists_with_its_test_files():
    modules = run.load_modules()
    assert [m["path"] for m in modules][:3] == ["kiyose/wareki.py", "kiyose/text.py", "kiyose/numbering.py"]
    for module in modules:
        assert (ROOT / module["path"]).is_file(), module["path"]
        assert module["tests"], module["path"]
        for test in module["tests"]:
            assert (ROOT / test).is_file() and Path(test).name.startswith("test_"), test


def test_every_equivalent_names_a_listed_module_a_current_mutant_and_a_one_line_reason():
    listed = {m["path"] for m in run.load_modules()}
    equivalents = run.load_equivalents()
    for module, entries in equivalents.items():
        assert module in listed, module
        ids = {m.id for m in mutants((ROOT / module).read_text(encoding="utf-8"))}
        for mutant, reason in entries.items():
            assert mutant in ids, f"{module}: no such mutant any more: {mutant}"
            assert reason.strip() and "\n" not in reason, mutant


def test_the_floor_passes_at_90_percent_with_equivalents_or_95_without():
    def data(killed, survived):
        return {
            "mutants": [{"id": f"k{i}", "status": "killed"} for i in range(killed)]
            + [{"id": f"s{i}", "status": "survived"} for i in range(survived)]
        }

    assert run.score(data(90, 10), {})["passed"] is True
    assert run.score(data(89, 11), {})["passed"] is False
    six, seven = {f"s{i}": "" for i in range(6)}, {f"s{i}": "" for i in range(7)}
    assert (run.score(data(89, 11), six)["passed"], run.score(data(89, 11), seven)["passed"]) == (False, True)
    assert run.score(data(89, 11), {"s0": ""})["survivors"] == [f"s{i}" for i in range(1, 11)]


SOURCE = textwrap.dedent("""
    import functools

    LIMIT = 10


    @functools.cache
    def over(value):
        return value >= LIMIT
""")


@pytest.fixture
def sample_module(tmp_path):
    path = tmp_path / "mutation_sample.py"
    path.write_text(SOURCE, encoding="utf-8")
    module = types.ModuleType("mutation_sample")
    module.__file__ = str(path)
    exec(compile(SOURCE, str(path), "exec"), module.__dict__)  # noqa: S102 - a throwaway module for the test
    sys.modules["mutation_sample"] = module
    yield module
    del sys.modules["mutation_sample"]


def test_decorated_functions_and_constants_are_mutated_in_place(sample_module):
    found = {m.id: m for m in mutants(SOURCE)}
    assert sorted(found) == ["LIMIT: 10 → 11 @ LIMIT = 10", "over: >= → > @ return value >= LIMIT"]
    held_elsewhere = sample_module.over  # what `from mutation_sample import over` would hold
    assert held_elsewhere(10) is True
    apply(sample_module, found["over: >= → > @ return value >= LIMIT"])
    assert isinstance(held_elsewhere, functools._lru_cache_wrapper)
    assert held_elsewhere(10) is False  # the cache was emptied and the mutated code runs under the decorator
    apply(sample_module, found["LIMIT: 10 → 11 @ LIMIT = 10"])
    assert sample_module.LIMIT == 11
