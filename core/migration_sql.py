"""SQL that more than one migration runs. Migrations depend on it as written: change what
a function returns only in a new function, never in place.

Going back over a migration that dated the rows of an auto-created many-to-many table
(bodies.0006, committees.0010): the table loses its dates and gets back the unique pair
Django gave it (under the name Django generated). A pair linked over several periods keeps
one row, the one in force last; the dates are lost.
"""


def drop_dates(table: str) -> str:
    return f'ALTER TABLE "{table}" DROP COLUMN "start", DROP COLUMN "end";'


def restore_unique_pair(table: str, first: str, second: str, name: str) -> str:
    return f"""
DELETE FROM "{table}" WHERE "id" IN (
    SELECT "id" FROM (
        SELECT "id", row_number() OVER (
            PARTITION BY "{first}", "{second}"
            ORDER BY "end" DESC NULLS FIRST, "start" DESC NULLS LAST, "id" DESC
        ) AS "n" FROM "{table}"
    ) AS "ranked" WHERE "n" > 1
);
ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE ("{first}", "{second}");
"""
