"""make mutation: mutation testing of the rule modules listed in mutation/modules.toml, with a floor per module.

    .venv/bin/python mutation/run.py                          # every module (the full run)
    .venv/bin/python mutation/run.py --modules kiyose/wareki.py,sdgs/progress.py
    .venv/bin/python mutation/run.py --since main             # modules whose code or tests changed vs main

Each module runs in its own pytest process on SQLite (plugin.py: one baseline run, then a fork per mutant).
A module passes when its killed mutants are at least 90 % of all its mutants (equivalents counted as
survivors) or at least 95 % of the mutants left once the equivalents listed in equivalents.toml are set
aside. Exit status 1 when a module is under the floor or its tests fail without a mutant; modules left out
because MUTATION_BUDGET (seconds) ran out are named, not failed.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "mutation"
FLOOR_WITH_EQUIVALENTS = 0.90
FLOOR_WITHOUT_EQUIVALENTS = 0.95
KILLED = {"killed", "timeout", "error"}


def load_modules(path: Path = HERE / "modules.toml") -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["module"]


def load_equivalents(path: Path = HERE / "equivalents.toml") -> dict[str, dict[str, str]]:
    """{module: {mutant id: reason}}."""
    found: dict[str, dict[str, str]] = {}
    for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", []):
        found.setdefault(entry["module"], {})[entry["mutant"]] = entry["reason"]
    return found


def changed_since(base: str) -> set[str] | None:
    """Files changed against the merge base with `base` (committed, staged, unstaged or new); None when the
    base is unknown (a shallow clone, a first run): then everything runs."""
    try:
        fork = subprocess.run(
            ["git", "merge-base", base, "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        tracked = subprocess.run(
            ["git", "diff", "--name-only", fork], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        new = subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    return set(tracked) | set(new)


def select(modules: list[dict], names: list[str] | None, since: str | None) -> list[dict]:
    if names:
        unknown = set(names) - {m["path"] for m in modules}
        if unknown:
            sys.exit(f"not in mutation/modules.toml: {', '.join(sorted(unknown))}")
        return [m for m in modules if m["path"] in names]
    if since:
        changed = changed_since(since)
        if changed is None:
            print(f"(base {since!r} not found: running every module)")
            return modules
        if any(f.startswith("mutation/") and not f.startswith("mutation/.results") for f in changed):
            return modules
        return [m for m in modules if m["path"] in changed or changed & set(m["tests"])]
    return modules


def run_module(module: dict, results: Path, timeout: float | None) -> dict:
    slug = module["path"].replace("/", ".").removesuffix(".py")
    result = results / f"{slug}.json"
    result.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")}
    env |= {"MUTATION_MODULE": module["path"], "MUTATION_RESULT": str(result), "PYTHONHASHSEED": "0"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "mutation.plugin",
        "-p",
        "no:cacheprovider",
        "-q",
        "-o",
        "addopts=",
        *module["tests"],
    ]
    started = time.monotonic()
    with open(results / f"{slug}.log", "w", encoding="utf-8") as log:
        try:
            subprocess.run(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            return {"skipped": "budget"}
    if not result.exists():
        return {"error": f"no result (see {results.relative_to(ROOT) / (slug + '.log')})"}
    data = json.loads(result.read_text(encoding="utf-8"))
    data["seconds"] = round(time.monotonic() - started, 1)
    return data


def score(data: dict, equivalents: dict[str, str]) -> dict:
    statuses = {m["id"]: m["status"] for m in data["mutants"]}
    total = len(statuses)
    killed = sum(1 for s in statuses.values() if s in KILLED)
    equivalent = sum(1 for i, s in statuses.items() if s not in KILLED and i in equivalents)
    with_eq = killed / total if total else 1.0
    without_eq = killed / (total - equivalent) if total - equivalent else 1.0
    return {
        "total": total,
        "killed": killed,
        "equivalent": equivalent,
        "with": with_eq,
        "without": without_eq,
        "passed": with_eq >= FLOOR_WITH_EQUIVALENTS or without_eq >= FLOOR_WITHOUT_EQUIVALENTS,
        "survivors": [i for i, s in statuses.items() if s not in KILLED and i not in equivalents],
        "stale": sorted(set(equivalents) - {i for i, s in statuses.items() if s not in KILLED}),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", help="comma-separated paths from mutation/modules.toml")
    parser.add_argument("--since", help="only modules whose file or tests changed against this git ref")
    parser.add_argument(
        "--budget",
        type=float,
        default=float(os.environ.get("MUTATION_BUDGET") or 0),
        help="seconds for the whole run (MUTATION_BUDGET; 0 = no limit)",
    )
    args = parser.parse_args(argv)

    names = [n.strip() for n in args.modules.replace(" ", ",").split(",") if n.strip()] if args.modules else None
    chosen = select(load_modules(), names, args.since)
    equivalents = load_equivalents()
    results = HERE / ".results"
    results.mkdir(exist_ok=True)
    if not chosen:
        print("mutation: no rule module or its tests changed; nothing to run (make mutation runs them all).")
        return 0

    started = time.monotonic()
    rows, failed, skipped = [], False, []
    for module in chosen:
        remaining = args.budget - (time.monotonic() - started) if args.budget else None
        if remaining is not None and remaining <= 0:
            skipped.append(module["path"])
            continue
        print(f"== {module['path']}", flush=True)
        data = run_module(module, results, remaining)
        if data.get("skipped"):
            skipped.append(module["path"])
            continue
        if data.get("error"):
            print(f"   ERROR: {data['error']}")
            rows.append(f"| `{module['path']}` | – | – | – | error |")
            failed = True
            continue
        s = score(data, equivalents.get(module["path"], {}))
        print(f"   {s['total']} mutants, {s['killed']} killed, {s['equivalent']} equivalent, {data['seconds']} s")
        for survivor in s["survivors"]:
            print(f"   survived: {survivor}")
        for stale in s["stale"]:
            print(f"   equivalents.toml names a mutant that is not a survivor any more: {stale}")
        mark = "" if s["passed"] else " **under the floor**"
        rows.append(
            f"| `{module['path']}` | {s['total']} | {s['killed']} | {s['equivalent']} | "
            f"{s['with']:.0%} ({s['without']:.0%} excl. equivalents){mark} |"
        )
        failed |= not s["passed"]

    print()
    print("| module | mutants | killed | equivalent | score |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    print(
        f"\n{time.monotonic() - started:.0f} s; floor {FLOOR_WITH_EQUIVALENTS:.0%} counting equivalents as "
        f"survived or {FLOOR_WITHOUT_EQUIVALENTS:.0%} without them."
    )
    if skipped:
        print(f"Not run, MUTATION_BUDGET={args.budget:.0f} s spent: {', '.join(skipped)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
