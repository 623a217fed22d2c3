"""The database half of an archive: every table as JSON lines, read and written through Django's own fields.

The models come from the migration state the data belongs to (not from today's code), so a database that is
one migration behind still backs up, and an older archive loads into the schema it was taken from before the
newer migrations run over it. Rows go in with plain INSERTs (no save(), no signals, no auto_now), keep their
primary keys, and each table's content hash is taken again from the database before the restore commits.
"""

import base64
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.management.color import no_style
from django.db import models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.fields import AutoFieldMixin
from django.utils.duration import duration_iso_string

from kiyose.backup.errors import BackupError

VENDORS = {"postgresql", "sqlite"}
MIGRATIONS_TABLE = MigrationRecorder.Migration._meta.db_table
# What `migrate` writes by itself (content types, permissions, the role groups synced after migrate): a database
# holding rows only here is as empty as a freshly migrated one, and may be restored over without --force.
FILLED_BY_MIGRATE = {
    MIGRATIONS_TABLE,
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "kiyose_office",
}
BATCH = 500

Node = tuple[str, str]


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    fields: tuple
    # JSON objects keep their key order on SQLite but not in PostgreSQL's jsonb: hash them with sorted keys.
    has_json: bool

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]

    @property
    def auto_pk(self) -> bool:
        return isinstance(self.model._meta.pk, AutoFieldMixin)


def _table(model) -> Table:
    fields = tuple(model._meta.concrete_fields)
    return Table(model._meta.db_table, model, fields, any(isinstance(f, models.JSONField) for f in fields))


def loader() -> MigrationLoader:
    """The migrations on disk, without asking any database."""
    return MigrationLoader(None, ignore_no_migrations=True)


def leaves(graph_loader: MigrationLoader, applied: set[Node]) -> list[Node]:
    """Per app, the applied migrations that no other applied migration of the same app follows."""
    node_map = graph_loader.graph.node_map
    return sorted(
        node
        for node in applied
        if not any(child.key in applied and child.key[0] == node[0] for child in node_map[node].children)
    )


def closure(graph_loader: MigrationLoader, targets: Iterable[Node]) -> set[Node]:
    nodes: set[Node] = set()
    for target in targets:
        nodes.update(graph_loader.graph.forwards_plan(target))
    return nodes


def squash_applied(graph_loader: MigrationLoader, applied: set[Node]) -> set[Node]:
    """The applied set as the graph names it: a squashed migration stands for the migrations it replaces (the
    database records those; the loader, asking no database, knows only the squashed node)."""
    result = set(applied)
    for key, migration in graph_loader.replacements.items():
        replaced = set(migration.replaces)
        if key in graph_loader.graph.nodes and replaced <= result:
            result -= replaced
            result.add(key)
    return result


def unknown_migrations(graph_loader: MigrationLoader, applied: set[Node]) -> list[Node]:
    return sorted(node for node in applied if node not in graph_loader.graph.nodes)


def state_tables(graph_loader: MigrationLoader, applied: set[Node]) -> dict[str, Table]:
    """Every table the database holds at this migration state, `django_migrations` included."""
    targets = leaves(graph_loader, applied)
    if closure(graph_loader, targets) != applied:
        raise BackupError(
            "マイグレーションの記録に欠けがあり、どの版のデータか決められません。",
            "The migration records are inconsistent (a migration is recorded without one it depends on).",
        )
    tables = {MIGRATIONS_TABLE: _table(MigrationRecorder.Migration)}
    if not targets:
        return tables
    state = graph_loader.project_state(targets, at_end=True)
    for model in state.apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables[meta.db_table] = _table(model)
    return dict(sorted(tables.items()))


# --- Values --------------------------------------------------------------------------------------------------
def encode(field, value):
    """A database value as JSON that `field.to_python` reads back exactly (microseconds and all)."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, dt.date | dt.time):  # datetime too
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    return field.value_to_string(SimpleNamespace(**{field.attname: value}))


def decode(table: Table, values) -> list:
    if not isinstance(values, list) or len(values) != len(table.fields):
        raise ValueError(f"{len(table.fields)} values expected")
    return [
        None if value is None else field.to_python(value) for field, value in zip(table.fields, values, strict=True)
    ]


def line(values: list) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"), allow_nan=True)


def row_digest(table: Table, values: list, text: str) -> bytes:
    if table.has_json:
        text = json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode()).digest()


def content_hash(digests: list[bytes]) -> str:
    """Independent of row order, which differs between databases for text keys (sessions)."""
    return hashlib.sha256(b"".join(sorted(digests))).hexdigest()


# --- Reading -------------------------------------------------------------------------------------------------
def rows(connection, table: Table) -> Iterator[list]:
    query = (
        table.model._base_manager.using(connection.alias)
        .order_by(table.model._meta.pk.attname)
        .values_list(*[f.attname for f in table.fields])
    )
    for row in query.iterator(chunk_size=2000):
        yield [encode(field, value) for field, value in zip(table.fields, row, strict=True)]


def dump(connection, table: Table, out) -> dict:
    """Write the table as JSON lines to `out`; its row count, content hash and next id for the manifest."""
    digests = []
    for values in rows(connection, table):
        text = line(values)
        out.write(text.encode() + b"\n")
        digests.append(row_digest(table, values, text))
    return {
        "model": table.label,
        "columns": table.columns,
        "rows": len(digests),
        "content": content_hash(digests),
        "next_id": next_id(connection, table),
    }


def measure(connection, table: Table) -> tuple[int, str]:
    digests = [row_digest(table, values, line(values)) for values in rows(connection, table)]
    return len(digests), content_hash(digests)


def read_lines(table: Table, path) -> Iterator[list]:
    """The decoded rows of a staged member; a line that does not fit the table stops the restore."""
    with open(path, encoding="utf-8") as lines:
        for number, text in enumerate(lines, 1):
            try:
                yield decode(table, json.loads(text))
            except Exception as exc:  # whatever a field's to_python raises: JSON, type, validation
                raise BackupError(
                    f"控えの {table.name} の {number} 行目が読めません（{exc}）。",
                    f"Line {number} of table {table.name} cannot be read ({exc}).",
                ) from None


# --- Sequences -----------------------------------------------------------------------------------------------
def _sequence(cursor, table: Table) -> str | None:
    cursor.execute(
        "SELECT pg_get_serial_sequence(%s, %s)", [cursor.db.ops.quote_name(table.name), table.model._meta.pk.column]
    )
    return cursor.fetchone()[0]


def next_id(connection, table: Table) -> int | None:
    """The id the database would hand out next: kept, so a deleted record's id is not given out again."""
    if not table.auto_pk:
        return None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = _sequence(cursor, table)
            if sequence is None:
                return None
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 (name from the catalogue)
            last, called = cursor.fetchone()
            return last + 1 if called else last
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table.name])
        row = cursor.fetchone()
        return row[0] + 1 if row else 1


def set_next_id(connection, table: Table, value: int | None, max_pk: int | None) -> None:
    if not table.auto_pk:
        return
    value = max(value or 1, (max_pk or 0) + 1)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = _sequence(cursor, table)
            if sequence is not None:
                cursor.execute("SELECT setval(%s, %s, false)", [sequence, value])
            return
        cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table.name])
        cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table.name, value - 1])


# --- Writing -------------------------------------------------------------------------------------------------
def load(connection, table: Table, decoded: Iterable[list]) -> int | None:
    """INSERT every row as it was; the largest integer primary key, for the sequence."""
    qn = connection.ops.quote_name
    head = f"INSERT INTO {qn(table.name)} ({', '.join(qn(c) for c in table.columns)}) VALUES "  # noqa: S608
    one = f"({', '.join(['%s'] * len(table.fields))})"
    # Many rows per statement: one statement per row is several times slower on PostgreSQL.
    per_statement = max(1, min(BATCH, (connection.features.max_query_params or 65535) // len(table.fields)))
    pk_index = table.fields.index(table.model._meta.pk)
    max_pk = None
    batch: list[list] = []

    def flush(cursor):
        cursor.execute(head + ", ".join([one] * len(batch)), [v for row in batch for v in row])
        batch.clear()

    with connection.cursor() as cursor:
        for values in decoded:
            batch.append([f.get_db_prep_save(v, connection) for f, v in zip(table.fields, values, strict=True)])
            pk = values[pk_index]
            if isinstance(pk, int) and (max_pk is None or pk > max_pk):
                max_pk = pk
            if len(batch) >= per_statement:
                flush(cursor)
        if batch:
            flush(cursor)
    return max_pk


def tables_with_rows(connection) -> list[str]:
    qn = connection.ops.quote_name
    busy = []
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            if name not in FILLED_BY_MIGRATE:
                cursor.execute(f"SELECT 1 FROM {qn(name)} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    busy.append(name)
    return busy


def empty_tables(connection, names: Iterable[str]) -> None:
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), list(names)))


def drop_all_tables(connection) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        if not names:
            return
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(qn(n) for n in names)} CASCADE")
        else:
            for name in names:
                cursor.execute(f"DROP TABLE IF EXISTS {qn(name)}")
