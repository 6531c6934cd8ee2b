#!/usr/bin/env python3
"""A second baseline for `pejling team`: the ORS outcome counts (recovered, improved, unchanged,
deteriorated) of Benchmarks/baseline.py as one DuckDB query over the journals, as an analyst
would run it on the JSON Lines. Run only by Benchmarks/run, with the duckdb module it installs
into a throwaway venv; never a dependency of the package or its tests."""
import os, sys

import duckdb

journals = os.path.join(sys.argv[1], "journals", "*.jsonl")
query = """
with ors as (
    select "case" as c, date, cast(json_extract(scores, '$.total') as double) as total
    from read_json(?, format = 'newline_delimited', ignore_errors = true,
                   columns = {kind: 'VARCHAR', "case": 'VARCHAR', instrument: 'VARCHAR',
                              date: 'VARCHAR', scores: 'JSON'})
    where kind = 'administration' and instrument = 'ors'
), series as (
    select arg_min(total, (date, total)) as pre, arg_max(total, (date, total)) as post
    from ors group by c having count(*) >= 2
)
select case when post - pre >= 5 and pre < 25 and post > 25 then 'recovered'
            when post - pre >= 5 then 'improved'
            when post - pre <= -5 then 'deteriorated'
            else 'unchanged' end as category, count(*) as n
from series group by category order by category
"""
print(dict(duckdb.execute(query, [journals]).fetchall()))
