"""`python -m bench [name ...] [--quick]`: run every `bench/bench_*.py` (or the named ones).

The reports benchmark also takes `--keep` (keep the loaded databases and reuse them on a rerun
of the same size and seed; `--cache DIR` or RAMPE_BENCH_CACHE for where the SQLite file goes),
`--only REPORT` (time one report), `--db sqlite|postgresql` and `--runs N`.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def discover() -> list[str]:
    """The benchmark names found next to this file: `bench_core.py` -> `core`."""
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks; returns a process exit code."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes: seconds, not minutes")
    parser.add_argument(
        "--keep", action="store_true", help="keep the loaded databases and reuse them (reports)"
    )
    parser.add_argument(
        "--cache", default=None, help="where kept SQLite files go (default: the system temp dir)"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=None,
        help="time only this report, e.g. status, jobrate, statusdato (repeatable)",
    )
    parser.add_argument(
        "--db",
        action="append",
        choices=("sqlite", "postgresql"),
        default=None,
        help="run on this database only (repeatable)",
    )
    parser.add_argument("--runs", type=int, default=None, help="timed runs per figure")
    args = parser.parse_args(argv)
    options = {k: v for k, v in (("keep", args.keep or None), ("cache", args.cache),
                                 ("only", args.only), ("databases", args.db), ("runs", args.runs))
               if v is not None}  # fmt: skip
    found = discover()
    wanted = [n.removeprefix("bench_").removesuffix(".py") for n in args.names] or found
    unknown = [n for n in wanted if n not in found]
    if unknown:
        parser.error(f"no such benchmark: {', '.join(unknown)} (have: {', '.join(found)})")
    for name in wanted:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"=== bench_{name}{' (quick)' if args.quick else ''} ===", flush=True)
        start = time.perf_counter()
        accepted = inspect.signature(module.run).parameters
        ignored = [k for k in options if k not in accepted]
        if ignored:
            print(f"bench_{name} ignores {', '.join(ignored)}", file=sys.stderr)
        module.run(quick=args.quick, **{k: v for k, v in options.items() if k in accepted})
        print(f"=== bench_{name}: {time.perf_counter() - start:.1f} s ===\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
