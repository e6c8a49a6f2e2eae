"""Facets for Datasette table pages: claims by topic through claim_topics (`m2m`), and the claims table's
columns from the counts the loader keeps (`kept`).

Core Datasette facets only look at a table's own columns. This facet counts
the rows of another table reached through a join table, and each value links
to a filter of its own, `?_m2m_<join table>=<value>`, so selecting it narrows the table.

    ?_facet_m2m=claim_topics            or, in metadata:   facets: [{"m2m": "claim_topics"}]
    ?_m2m_claim_topics=energy           the claims about energy, with any other filter

Not Datasette's `_through` filter: on 0.65 it names its parameter `p0`, the name of the first
column filter's, so `?kind=direct&_through=...` reads one value for both and lists nothing.
`m2m_filters` (the `filters_from_request` hook) names its parameters apart.
"""

from __future__ import annotations

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from datasette.utils.asgi import BadRequest, Forbidden

from ..vocabulary import ALL_CLAIMS, DATE_BASIS, LISTED_ON
from .compat import can_view_table, expand_foreign_keys


class ManyToManyFacet(Facet):
    type = "m2m"

    async def suggest(self):
        return []  # offered through metadata and ?_facet_m2m=, never guessed

    async def join_for(self, through: str):
        """(column to this table, column to the other table, the other table's key, other table, its
        label column) or None, also None unless the actor may view this table, the join table and the
        other table."""
        return await join_for(self.ds, self.request, self.database, self.table, through)

    async def facet_results(self):
        results, timed_out = [], []
        if not self.table:
            return results, timed_out
        facet_size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            through = config.get("through") or config.get("simple")
            join = await self.join_for(through) if through else None
            if join is None:
                continue
            self_col, other_col, other_pk, other, label = join
            db = self.ds.get_database(self.database)
            pks = await db.primary_keys(self.table) or ["rowid"]
            label_sql = f"{escape_sqlite(other)}.{escape_sqlite(label)}" if label else f"j.{escape_sqlite(other_col)}"
            sql = f"""
                select j.{escape_sqlite(other_col)} as value, {label_sql} as label, count(*) as count
                from {escape_sqlite(through)} j
                join {escape_sqlite(other)}
                  on {escape_sqlite(other)}.{escape_sqlite(other_pk)} = j.{escape_sqlite(other_col)}
                where j.{escape_sqlite(self_col)} in (select {escape_sqlite(pks[0])} from ({self.sql}))
                group by j.{escape_sqlite(other_col)} order by count desc, label limit {facet_size + 1}
            """
            if await self.kept(through):
                # an unfiltered claims table: the loader keeps these counts, no need to group 1M rows
                sql = f"""select value, label, count from kept_counts where scope = '{ALL_CLAIMS}' and facet = 'topic'
                          order by count desc, label limit {facet_size + 1}"""
            try:
                rows = await self.ds.execute(self.database, sql, self.params, truncate=False,
                                             custom_time_limit=self.ds.setting("facet_time_limit_ms"))
            except QueryInterrupted:
                timed_out.append(through)
                continue
            arg = FILTER_PREFIX + through
            selected = set(self.request.args.getlist(arg))
            values = []
            for row in rows.rows[:facet_size]:
                value = str(row["value"])
                is_selected = value in selected
                values.append({
                    "value": value,
                    "label": row["label"],
                    "count": row["count"],
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {arg: value}) if is_selected
                        else path_with_added_args(self.request, {arg: value})),
                    "selected": is_selected,
                })
            results.append({
                "name": through,
                "type": self.type,
                "results": values,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_m2m": through})),
                "truncated": len(rows.rows) > facet_size,
            })
        return results, timed_out

    async def may_view(self, *tables: str) -> bool:
        return await may_view(self.ds, self.request, self.database, *tables)

    async def kept(self, through: str) -> bool:
        """The newsclaims fast path: topics of the whole claims table, from the counts the loader keeps."""
        if self.table != "claims" or through != "claim_topics" or self.params or " where " in self.sql.lower():
            return False
        return "kept_counts" in await self.ds.get_database(self.database).table_names() and \
            await self.may_view("kept_counts")


# claims column -> the kept-count facet with its values (claim_date by month)
KEPT_COLUMNS = {"speaker_id": "speaker", "speaker_kind": "speaker_kind", "target": "target", "venue": "venue",
                "source": "source", "kind": "kind", LISTED_ON: "month", DATE_BASIS: DATE_BASIS}


class KeptFacet(Facet):
    """A facet of the claims table's own columns that reads the counts the loader keeps when the table is
    not filtered (Datasette's column facet groups every row: seconds at ten million claims, past the facet
    time limit), and counts live, under that limit, when it is. `claim_date` is faceted by month (each
    month selects `claim_date__startswith`). A column the request also facets with `_facet=` is left to
    Datasette's column facet: no facet is computed twice.

        facets: [{"kept": "speaker_id"}, {"kept": "claim_date"}]   (metadata.yml)
    """

    type = "kept"

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        requested = set(self.request.args.getlist("_facet"))
        columns = list(dict.fromkeys(c["config"].get("simple") for c in self.get_configs()))
        if self.table != "claims":
            return results, timed_out
        facet_size = self.get_facet_size()
        db = self.ds.get_database(self.database)
        kept = await self.kept()
        for column in columns:
            if column not in KEPT_COLUMNS or column in requested:
                continue
            month = column == LISTED_ON
            if kept:
                sql = (f"select value, label, count from kept_counts where scope = '{ALL_CLAIMS}' and facet = "
                       f"'{KEPT_COLUMNS[column]}' order by {'value desc' if month else 'count desc, label'} "
                       f"limit {facet_size + 1}")
                params = {}
            else:
                value = f"substr({escape_sqlite(column)}, 1, 7)" if month else escape_sqlite(column)
                sql = (f"select {value} as value, count(*) as count from ({self.sql}) where {value} is not null "
                       f"and {value} != '' group by value order by {'value desc' if month else 'count desc, value'} "
                       f"limit {facet_size + 1}")
                params = self.params
            try:
                rows = (await db.execute(sql, params, truncate=False,
                                         custom_time_limit=self.ds.setting("facet_time_limit_ms"))).rows
            except QueryInterrupted:
                timed_out.append(column)
                continue
            labels = {}
            if not kept and column == "speaker_id":
                labels = await expand_foreign_keys(self.ds, self.request, self.database, self.table, column,
                                                   [r["value"] for r in rows[:facet_size]])
            arg = f"{column}__startswith" if month else column
            chosen = set(self.request.args.getlist(arg))
            values = []
            for row in rows[:facet_size]:
                value = str(row["value"])
                label = row["label"] if kept else labels.get((column, row["value"]), value)
                selected = value in chosen
                toggle = (path_with_removed_args(self.request, {arg: value}) if selected
                          else path_with_added_args(self.request, {arg: value}))
                values.append({"value": value, "label": label, "count": row["count"], "selected": selected,
                               "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle))})
            results.append({"name": column, "type": self.type, "results": values, "hideable": False,
                            "toggle_url": self.ds.urls.path(self.request.path), "truncated": len(rows) > facet_size})
        return results, timed_out

    async def kept(self) -> bool:
        """Whether these are the whole table's counts, and the actor may read them."""
        if self.params or " where " in self.sql.lower():
            return False
        return "kept_counts" in await self.ds.get_database(self.database).table_names() and \
            await may_view(self.ds, self.request, self.database, "kept_counts")


FILTER_PREFIX = "_m2m_"


async def may_view(datasette, request, database: str, *tables: str) -> bool:
    actor = request.actor if request is not None else None
    for table in tables:
        if not await can_view_table(datasette, actor, database, table):
            return False
    return True


async def join_of(datasette, database: str, table: str, through: str):
    """How `table` reaches another table through the join table `through`: (column to `table`, column to
    the other table, the other table's key, the other table, its label column), or None when `through`
    is no such join table."""
    db = datasette.get_database(database)
    if through not in await db.table_names():
        return None
    fks = await db.foreign_keys_for_table(through)
    to_self = [fk for fk in fks if fk["other_table"] == table]
    to_other = [fk for fk in fks if fk["other_table"] != table]
    if len(to_self) != 1 or len(to_other) != 1:
        return None
    other = to_other[0]["other_table"]
    label = await db.label_column_for_table(other)
    return to_self[0]["column"], to_other[0]["column"], to_other[0]["other_column"], other, label


async def join_for(datasette, request, database: str, table: str, through: str):
    """`join_of`, and None unless the actor may view `table`, `through` and the other table."""
    join = await join_of(datasette, database, table, through)
    if join is None or not await may_view(datasette, request, database, table, through, join[3]):
        return None
    return join


def m2m_filters(request, database, table, datasette):
    """`?_m2m_<join table>=<value>` on a table page: the rows joined to that value (repeat it for rows
    joined to every value given). A join table the actor may not view answers 403, as `_through` does."""
    joins = sorted({k[len(FILTER_PREFIX):] for k in request.args.keys() if k.startswith(FILTER_PREFIX)})
    if not table or not joins:
        return None

    async def inner():
        where, params, described = [], {}, []
        db = datasette.get_database(database)
        pks = await db.primary_keys(table) or ["rowid"]
        for through in joins:
            join = await join_of(datasette, database, table, through)
            if join is None:
                raise BadRequest(f"{FILTER_PREFIX}{through}: {through} is not a join table of {table}")
            if not await may_view(datasette, request, database, through, join[3]):
                raise Forbidden(f"You may not view {through} or {join[3]}")
            self_col, other_col, _, _, _ = join
            for value in request.args.getlist(FILTER_PREFIX + through):
                name = f"m2m_{len(params)}"  # apart from the p0, p1, ... of the column filters
                where.append(f"{escape_sqlite(pks[0])} in (select {escape_sqlite(self_col)} from "
                             f"{escape_sqlite(through)} where {escape_sqlite(other_col)} = :{name})")
                params[name] = value
                described.append(f'{through}.{other_col} = "{value}"')
        return FilterArguments(where, params, described)
    return inner
