"""Compliance of every ICB board: one batched call against a call per board (the baseline).

    .venv/bin/python benchmarks/compliance_batch.py [--systems 42] [--repeat 5]

Builds the boards inside a transaction that is rolled back, so it leaves the database
as it found it. Both ways run in the same process on the same data, alternately; the
figures are the median wall time and the number of queries of one full pass.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_registry.settings.dev")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from memberships.selectors import compliance, compliance_many  # noqa: E402
from tests.builders import compliant_icb  # noqa: E402

AS_OF = datetime.date(2024, 6, 1)


def per_board(boards):
    return {board.pk: compliance(committee=board, as_of=AS_OF) for board in boards}


def batched(boards):
    return compliance_many(committees=boards, as_of=AS_OF)


def measure(function, boards, repeat):
    times, queries, result = [], 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function(boards)
            times.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with transaction.atomic():
        boards = [compliant_icb().board for _ in range(args.systems)]
        baseline = measure(per_board, boards, args.repeat)
        batch = measure(batched, boards, args.repeat)
        assert {k: r.findings for k, r in baseline[2].items()} == {
            k: r.findings for k, r in batch[2].items()
        }, "the two ways must give the same reports"
        transaction.set_rollback(True)
    print(f"{args.systems} ICB boards, median of {args.repeat} passes, on {AS_OF}")
    print(f"{'way':<28}{'seconds':>10}{'queries':>10}")
    print(f"{'one call per board (base)':<28}{baseline[0]:>10.3f}{baseline[1]:>10}")
    print(f"{'compliance_many (batched)':<28}{batch[0]:>10.3f}{batch[1]:>10}")
    print(f"speed-up: {baseline[0] / batch[0]:.1f}x, queries: {baseline[1]} -> {batch[1]}")


if __name__ == "__main__":
    main()
