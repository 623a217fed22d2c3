"""The mutants of one module: small AST changes a broken rule would look like, each with a stable id.

Unlike mutmut, nothing is skipped for being decorated (`@transaction.atomic`, `@property`, `@functools.cache`)
and module-level constants (thresholds, month lists, regexes, messages) are mutated too: `apply` swaps the
code of the one function a mutant touches, or rebinds the one constant, inside an already running test
process (see plugin.py), so a decorator or an import elsewhere does not hide the change.

An id names where and what, not a line number, so `equivalents.toml` survives edits elsewhere in the file:
"<function or constant>: <change> @ <source line>" (+ " #n" when the same change occurs twice on a line).
"""

import ast
import copy
import re
from dataclasses import dataclass

_NUMERIC = re.compile(r"-?[0-9]+(\.[0-9]+)?")

_COMPARE = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
}
_SYMBOL = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.And: "and",
    ast.Or: "or",
}
_SWAPPED_CALLS = {"min": "max", "max": "min", "any": "all", "all": "any"}
# Calls whose string arguments are for developers, not behaviour anyone relies on.
_LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}


@dataclass(frozen=True)
class Mutant:
    id: str
    scope: tuple[str, ...]  # ("function", qualname) / ("method", class, name) / ("constant", name, ...)
    lineno: int
    source: str  # the whole mutated module


def _change(node) -> list[tuple[str, callable]]:
    """(description, mutate-in-place) pairs for one node."""
    out = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            new = _COMPARE.get(type(op))
            if new:
                out.append(
                    (f"{_SYMBOL[type(op)]} → {_SYMBOL[new]}", lambda n, i=i, new=new: n.ops.__setitem__(i, new()))
                )
    elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP:
        new = _BINOP[type(node.op)]
        out.append((f"{_SYMBOL[type(node.op)]} → {_SYMBOL[new]}", lambda n, new=new: setattr(n, "op", new())))
    elif isinstance(node, ast.AugAssign) and type(node.op) in (ast.Add, ast.Sub):
        new = ast.Sub if isinstance(node.op, ast.Add) else ast.Add
        out.append((f"{_SYMBOL[type(node.op)]}= → {_SYMBOL[new]}=", lambda n, new=new: setattr(n, "op", new())))
    elif isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        out.append((f"{_SYMBOL[type(node.op)]} → {_SYMBOL[new]}", lambda n, new=new: setattr(n, "op", new())))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("not x → x", "unwrap"))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            out.append((f"{value} → {not value}", lambda n: setattr(n, "value", not n.value)))
        elif isinstance(value, (int, float)):
            out.append((f"{value} → {value + 1}", lambda n: setattr(n, "value", n.value + 1)))
        elif isinstance(value, str) and _NUMERIC.fullmatch(value):
            bumped = value[:-1] + str((int(value[-1]) + 1) % 10)
            out.append((f"{value!r} → {bumped!r}", lambda n, b=bumped: setattr(n, "value", b)))
        elif isinstance(value, str):
            new = f"XX{value}XX"
            out.append((f"{_short(value)!r} → 'XX…XX'", lambda n, new=new: setattr(n, "value", new)))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SWAPPED_CALLS:
        new = _SWAPPED_CALLS[node.func.id]
        out.append((f"{node.func.id}() → {new}()", lambda n, new=new: setattr(n.func, "id", new)))
    elif isinstance(node, ast.Break):
        out.append(("break → continue", "continue"))
    elif isinstance(node, ast.Continue):
        out.append(("continue → break", "break"))
    return out


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:29] + "…"


def _skipped_children(node) -> set[int]:
    """Subtrees never mutated: docstrings, annotations, decorators, imports, log messages."""
    skip = set()
    body = getattr(node, "body", None)
    if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body:
        first = body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            skip.add(id(first))
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        skip.update(id(d) for d in node.decorator_list)
        if node.returns:
            skip.add(id(node.returns))
        for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs, node.args.vararg, node.args.kwarg]:
            if arg is not None and arg.annotation is not None:
                skip.add(id(arg.annotation))
    if isinstance(node, ast.ClassDef):
        skip.update(id(d) for d in node.decorator_list)
        skip.update(id(b) for b in node.bases)
    if isinstance(node, ast.AnnAssign):
        skip.add(id(node.annotation))
    skip.update(id(child) for child in ast.iter_child_nodes(node) if _is_log_call(child))
    skip.update(id(child) for child in ast.iter_child_nodes(node) if isinstance(child, (ast.Import, ast.ImportFrom)))
    return skip


def _is_log_call(node) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _LOG_METHODS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in ("log", "logger", "logging")
    )


def _scopes(tree: ast.Module):
    """(scope, statement node) for every mutable region: functions, methods, module-level assignments.
    Class-level assignments (TextChoices values, converter regexes) are read once by Django at start-up, so
    swapping them in a running process would prove nothing; they are left out."""
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield ("function", stmt.name), stmt
        elif isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield ("method", stmt.name, item.name), item
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names = []
            for target in targets:
                elts = target.elts if isinstance(target, ast.Tuple) else [target]
                names += [e.id for e in elts if isinstance(e, ast.Name)]
            if names and all(n.isupper() or n.lstrip("_").isupper() for n in names):
                yield ("constant", *names), stmt


def _walk(node, skip: set[int]):
    skip = skip | _skipped_children(node)
    for child in ast.iter_child_nodes(node):
        if id(child) in skip:
            continue
        yield child
        yield from _walk(child, skip)


def mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    lines = source.splitlines()
    found: list[Mutant] = []
    seen: dict[str, int] = {}
    for scope, stmt in _scopes(tree):
        label = scope[1] if scope[0] != "method" else f"{scope[1]}.{scope[2]}"
        if scope[0] == "constant":
            label = ", ".join(scope[1:])
        skip = _skipped_children(stmt)
        nodes = list(_walk(stmt, set()))
        if scope[0] == "constant":
            nodes = [stmt, *nodes]
        for index, node in enumerate(nodes):
            if id(node) in skip:
                continue
            for description, action in _change(node):
                line = lines[node.lineno - 1].strip() if hasattr(node, "lineno") else ""
                base = f"{label}: {description} @ {line}"
                seen[base] = seen.get(base, 0) + 1
                mutant_id = base if seen[base] == 1 else f"{base} #{seen[base]}"
                found.append(
                    Mutant(
                        mutant_id,
                        scope,
                        getattr(node, "lineno", stmt.lineno),
                        _mutated(tree, stmt, index, action, constant=scope[0] == "constant"),
                    )
                )
    return found


def _mutated(tree: ast.Module, stmt, index: int, action, *, constant: bool) -> str:
    """The module's source with the index-th node of `stmt` changed (on a deep copy)."""
    clone = copy.deepcopy(tree)
    position = next(i for i, s in enumerate(tree.body) if s is stmt or (isinstance(s, ast.ClassDef) and stmt in s.body))
    target_stmt = clone.body[position]
    if isinstance(target_stmt, ast.ClassDef):
        target_stmt = target_stmt.body[tree.body[position].body.index(stmt)]
    nodes = list(_walk(target_stmt, set()))
    if constant:
        nodes = [target_stmt, *nodes]
    node = nodes[index]
    if action == "unwrap":
        _replace(target_stmt, node, node.operand)
    elif action in ("continue", "break"):
        _replace(target_stmt, node, ast.Continue() if action == "continue" else ast.Break())
    else:
        action(node)
    return ast.unparse(ast.fix_missing_locations(clone))


def _replace(root, old, new) -> None:
    for parent in ast.walk(root):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list) and any(v is old for v in value):
                value[[i for i, v in enumerate(value) if v is old][0]] = new
                return
    raise LookupError("node not found")
