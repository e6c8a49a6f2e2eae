"""The few places where Datasette 0.65 and the 1.0 alphas differ for this plugin, and where Datasette
needs help to behave with what the plugin brings along."""

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


def handled_while_raised(result, exception: BaseException):
    """Datasette's default error handler, run while its exception is being handled.

    When `rich` is installed (spaCy brings it), Datasette's default `handle_exception` calls
    `rich...print_exception()`, which needs an exception being handled, but it runs after the `except`
    block: it raises, and a request that should answer 4xx answers 500 (core URLs such as
    `/db/-/queries/x` on 0.65; two of the 1.0a's own tests). Running the default handler inside an
    `except` block for the same exception gives exactly Datasette's answer and log. Anything that is
    not Datasette's default handler (another plugin's) is left as it is.
    """
    if not callable(result) or getattr(result, "__module__", None) != "datasette.handle_exception":
        return result

    async def handled():
        try:
            raise exception
        except BaseException:
            return await result()
    return handled


async def expand_foreign_keys(datasette, request, database: str, table: str, column: str, values: list) -> dict:
    """Labels of foreign key values: 1.0a asks for the actor first (it checks the actor may view them)."""
    import inspect

    if "actor" in inspect.signature(datasette.expand_foreign_keys).parameters:
        return await datasette.expand_foreign_keys(request.actor if request is not None else None, database,
                                                   table, column, values)
    return await datasette.expand_foreign_keys(database, table, column, values)
