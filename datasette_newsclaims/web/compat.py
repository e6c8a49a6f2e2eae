"""The few places where Datasette 0.65 and the 1.0 alphas differ for this plugin."""

from __future__ import annotations


async def can_view_table(datasette, actor, database: str, table: str) -> bool:
    try:
        from datasette.resources import TableResource  # 1.0a: actions on resources
    except ImportError:
        visible, _ = await datasette.check_visibility(
            actor, permissions=[("view-table", (database, table)), ("view-database", database), "view-instance"])
        return visible
    return await datasette.allowed(action="view-table", resource=TableResource(database=database, table=table),
                                   actor=actor)


# Label columns for foreign keys. Datasette 0.65 finds "name" and "title" columns itself; the 1.0 alphas
# prefer a table's only unique text column, which for these tables is the id.
LABEL_COLUMNS = {"speakers": "name", "topics": "name", "articles": "title"}


def default_label_columns(datasette, databases: list[str]) -> None:
    """Give newsclaims tables their label columns where the user has not configured one (1.0a only)."""
    if not hasattr(datasette, "table_config"):
        return
    config = datasette.config if isinstance(getattr(datasette, "config", None), dict) else {}
    for name in databases:
        tables = config.setdefault("databases", {}).setdefault(name, {}).setdefault("tables", {})
        for table, column in LABEL_COLUMNS.items():
            tables.setdefault(table, {}).setdefault("label_column", column)
    datasette.config = config
