"""Two runs' outputs, table by table: the rows only one of them has. For a refactor that must not
change what newsbeam writes (same input, same rows), or to compare engines.

    python -m evals.compare_runs OUT_BEFORE OUT_AFTER [--show 5]

Exits 1 when any table differs.
"""

from __future__ import annotations

import argparse
import sys

from schemas import catalog
from schemas.tables import TABLES


def rows(output: str, table: str) -> tuple[list[str], list[str]]:
    relation = catalog.connect(output).sql(f"SELECT * FROM {table}")
    return relation.columns, sorted(map(repr, relation.fetchall()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--show", type=int, default=5, help="rows shown per table and side")
    args = parser.parse_args(argv)
    same = True
    for table in TABLES:
        (columns_a, a), (columns_b, b) = rows(args.before, table), rows(args.after, table)
        only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
        equal = columns_a == columns_b and a == b
        same &= equal
        print(f"{table:<16} {len(a):>7} rows vs {len(b):>7}: {'same' if equal else 'DIFFERENT'}"
              + ("" if columns_a == columns_b else f" (columns {columns_a} vs {columns_b})"))
        for row in only_a[:args.show]:
            print(f"  - {row[:240]}")
        for row in only_b[:args.show]:
            print(f"  + {row[:240]}")
    print("identical" if same else "different")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
