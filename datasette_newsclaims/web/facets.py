"""A many-to-many facet for Datasette table pages: claims by topic through claim_topics.

Core Datasette facets only look at a table's own columns. This facet counts
the rows of another table reached through a join table, and each value links
to Datasette's own `_through` filter, so selecting it narrows the table.

    ?_facet_m2m=claim_topics            or, in metadata:   facets: [{"m2m": "claim_topics"}]
"""

from __future__ import annotations

import json

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from ..vocabulary import ALL_CLAIMS
from .compat import can_view_table


class ManyToManyFacet(Facet):
    type = "m2m"

    async def suggest(self):
        return []  # offered through metadata and ?_facet_m2m=, never guessed

    async def join_for(self, through: str):
        """(column to this table, column to the other table, other table, its label column) or None,
        also None unless the actor may view this table, the join table and the other table."""
        db = self.ds.get_database(self.database)
        if through not in await db.table_names() or not await self.may_view(self.table, through):
            return None
        fks = await db.foreign_keys_for_table(through)
        to_self = [fk for fk in fks if fk["other_table"] == self.table]
        to_other = [fk for fk in fks if fk["other_table"] != self.table]
        if len(to_self) != 1 or len(to_other) != 1:
            return None
        other = to_other[0]["other_table"]
        if not await self.may_view(other):
            return None
        label = await db.label_column_for_table(other)
        return to_self[0]["column"], to_other[0]["column"], to_other[0]["other_column"], other, label

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
            selected = self.selected_values(through, other_col)
            values = []
            for row in rows.rows[:facet_size]:
                value = str(row["value"])
                through_arg = json.dumps({"table": through, "column": other_col, "value": value},
                                         separators=(",", ":"))
                is_selected = value in selected
                values.append({
                    "value": value,
                    "label": row["label"],
                    "count": row["count"],
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {"_through": through_arg}) if is_selected
                        else path_with_added_args(self.request, {"_through": through_arg})),
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
        actor = self.request.actor if self.request is not None else None
        for table in tables:
            if not await can_view_table(self.ds, actor, self.database, table):
                return False
        return True

    async def kept(self, through: str) -> bool:
        """The newsclaims fast path: topics of the whole claims table, from the counts the loader keeps."""
        if self.table != "claims" or through != "claim_topics" or self.params or " where " in self.sql.lower():
            return False
        return "kept_counts" in await self.ds.get_database(self.database).table_names() and \
            await self.may_view("kept_counts")

    def selected_values(self, through: str, column: str) -> set:
        out = set()
        for raw in self.request.args.getlist("_through"):
            try:
                spec = json.loads(raw)
            except ValueError:
                continue
            if isinstance(spec, dict) and spec.get("table") == through and spec.get("column") == column:
                out.add(str(spec.get("value")))
        return out
