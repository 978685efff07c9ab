#!/usr/bin/python3
"""An interrupted SAE training resumes from its checkpoint to the very weights of an uninterrupted one.

    /usr/bin/python3 models/train/test_resume.py      (part of `npm run test:pipeline`)
"""
import dataclasses
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import training  # noqa: E402
from config import TINY, SaeSpec  # noqa: E402

SPECS = [SaeSpec(f"t-{arch}", "h", arch, 4, 8, "resid", arch) for arch in
         ("topk", "batchtopk", "abstopk", "standard", "jumprelu", "matching_pursuit")]
INTERRUPT_AT = 11


class Interrupted(Exception):
    pass


def train(acts, cfg, checkpoint: Path, interrupt: bool) -> dict:
    step = training.SaeRun.step

    def stepping(run, x, i, steps):
        if interrupt and i == INTERRUPT_AT:
            raise Interrupted
        step(run, x, i, steps)

    training.SaeRun.step = stepping
    try:
        return training.train_hook_group(SPECS, acts, cfg, checkpoint)
    finally:
        training.SaeRun.step = step


def main() -> None:
    torch.set_num_threads(1)
    acts = (torch.randn(24 * 256, 64) * torch.linspace(0.2, 2, 64)).half()
    cfg = dataclasses.replace(TINY, sae_batch=256, sae_training=dataclasses.replace(
        TINY.sae_training, checkpoint_seconds=0.0, dead_after_tokens=1024, log_every_fraction=1.0))
    with tempfile.TemporaryDirectory() as tmp:
        whole = train(acts, cfg, Path(tmp) / "whole.ckpt", interrupt=False)
        ckpt = Path(tmp) / "parts.ckpt"
        try:
            train(acts, cfg, ckpt, interrupt=True)
            sys.exit("the interruption did not happen")
        except Interrupted:
            pass
        assert torch.load(ckpt)["step"] == INTERRUPT_AT, "the checkpoint is not the last step before the interruption"
        resumed = train(acts, cfg, ckpt, interrupt=False)
    for spec in SPECS:
        a, b = whole[spec.id][0].state_dict(), resumed[spec.id][0].state_dict()
        diff = [k for k in a if not torch.equal(a[k], b[k])]
        assert not diff, f"{spec.id}: resumed training differs in {diff}"
    print(f"resume: {len(SPECS)} SAEs resumed at step {INTERRUPT_AT} end with the same weights as uninterrupted training")


if __name__ == "__main__":
    main()
