"""What the PyTorch halves of the benchmarks share: timing a call, and the command line that
bench/pageRounds.ts gives the scripts it alternates with a browser page (bundle, job file, repeats)."""
import argparse
import json
import time
from pathlib import Path


def runs_ms(fn, repeats: int) -> list[float]:
    """Milliseconds of each of `repeats` calls of fn, after one untimed warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return times


def page_round_args(doc: str, default_repeats: int) -> tuple[Path, dict, int]:
    """<bundle-dir> <job.json> [--repeats N], as bench/pageRounds.ts calls the script: the bundle folder, the job, the repeats."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("job", type=Path)
    parser.add_argument("--repeats", type=int, default=default_repeats)
    args = parser.parse_args()
    return args.bundle, json.loads(args.job.read_text()), args.repeats
