"""`python -m bench [name ...] [--quick]`: run every `bench/bench_*.py` (or the named ones)."""

from __future__ import annotations

import argparse
import importlib
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
    args = parser.parse_args(argv)
    found = discover()
    wanted = [n.removeprefix("bench_").removesuffix(".py") for n in args.names] or found
    unknown = [n for n in wanted if n not in found]
    if unknown:
        parser.error(f"no such benchmark: {', '.join(unknown)} (have: {', '.join(found)})")
    for name in wanted:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"=== bench_{name}{' (quick)' if args.quick else ''} ===", flush=True)
        start = time.perf_counter()
        module.run(quick=args.quick)
        print(f"=== bench_{name}: {time.perf_counter() - start:.1f} s ===\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
