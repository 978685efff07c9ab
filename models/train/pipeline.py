"""The stages of a bundle build, each cached in the work folder so an interrupted build resumes."""
import dataclasses
import hashlib
import json
import multiprocessing
import os
import platform
import re
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch

import bpe
import bundle_io
import corpus
import evaluate
import export
import heldout_text
import hf_forward
import hf_layout
import training
from config import stage_key
from model import GPT
from training import log

UNICODE_LINES = [
    "Naïve café owners in São Paulo sell crème brûlée — for 5 €.",
    "東京は日本の首都です。 Москва — столица России.",
    "Emoji: 🙂🚀 and a family 👨‍👩‍👧 in one token run?",
    "Tabs\tand  double  spaces,\n\nnewlines   and trailing spaces   ",
    "Don't won't they're I'm you'll we'd it's — 'quoted' \"double\"",
    "Numbers 1234567 3.14159 1,000,000 and 1e-9; x^2 + y_1 = ∑ αβγ",
]


def _layer(hook: str) -> int:
    return int(hook.split(".")[1])


def _cached(path: Path, make, what: str):
    """Loads a stage's artefact, or makes and saves it first (written whole, then renamed)."""
    if not path.exists():
        log(what)
        value = make()
        tmp = path.with_suffix(".tmp")
        torch.save(value, tmp)
        tmp.replace(path)
    return torch.load(path)


def _import_model(bundle: Path, cfg) -> tuple[GPT, dict]:
    """The transformer of an existing bundle (its fp16 weights are what training exported), with its
    training figures, so that SAEs can be retrained without retraining the model."""
    m = json.loads((bundle / "manifest.json").read_text())["model"]
    want = {"n_layers": cfg.n_layers, "d_model": cfg.d_model, "n_heads": cfg.n_heads, "n_ctx": cfg.n_ctx,
            "d_vocab": cfg.vocab_size}
    have = {k: m[k] for k in want}
    if have != want:
        sys.exit(f"--reuse-model: {bundle} has {have}, the configuration wants {want}")
    stats = json.loads((bundle / "report.json").read_text())["model"]
    return bundle_io.load_model(bundle), {"curve": stats["curve"], "seconds": stats["train_seconds"],
                                          "tokens": stats["train_tokens"], "imported_from": str(bundle.name)}


def run(cfg, out: Path, work: Path, reuse_model: Path | None = None) -> None:
    torch.set_num_threads(1)  # OpenBLAS uses the cores itself; torch's own threads only contend (MEASURED.md)
    torch.manual_seed(cfg.seed)
    work.mkdir(parents=True, exist_ok=True)
    wall0 = time.time()

    # ---- corpus and tokenizer ----
    docs = corpus.load_documents(cfg.max_chars_per_source)
    train_docs, heldout_by_source = corpus.split(docs, cfg.heldout_fraction, cfg.seed)
    heldout_docs = [d for texts in heldout_by_source.values() for d in texts]
    tok_key = stage_key(cfg.max_chars_per_source, cfg.heldout_fraction, cfg.seed, cfg.vocab_size)
    tok_path = work / f"tokenizer-{tok_key}.json"
    if not tok_path.exists():
        if reuse_model is not None:
            log(f"tokenizer from {reuse_model}")
            shutil.copy(reuse_model / "tokenizer.json", tok_path)
        else:
            log(f"training BPE ({cfg.vocab_size}) on {sum(map(len, train_docs)) / 1e6:.1f}M chars")
            vocab, merges = bpe.train(train_docs, cfg.vocab_size)
            bpe.Tokenizer(vocab, merges).save(tok_path)
    tok = bpe.Tokenizer.from_hf_json(json.loads(tok_path.read_text(encoding="utf-8")))
    bos = tok.vocab[bpe.EOT]

    def tokenize(texts: list[str]) -> torch.Tensor:
        ids: list[int] = []
        for t in texts:
            ids.extend(tok.encode(t))
            ids.append(bos)
        return torch.tensor(ids, dtype=torch.long)

    streams = _cached(work / f"tokens-{tok_key}.pt", lambda: {
        "train": tokenize(train_docs), "heldout": {name: tokenize(t) for name, t in heldout_by_source.items()},
    }, "tokenizing the corpus")
    train_stream = streams["train"]
    heldout_stream = torch.cat(list(streams["heldout"].values()))
    log(f"tokens: train {len(train_stream):,} heldout {len(heldout_stream):,}")
    eval_seqs = training.fixed_windows(heldout_stream, cfg.n_ctx + 1, cfg.evaluation.max_eval_windows, bos)

    # ---- transformer ----
    lm_key = stage_key(tok_key, cfg.n_layers, cfg.d_model, cfg.n_heads, cfg.n_ctx, cfg.lm_batch, cfg.lm_steps,
                       cfg.lm_lr, cfg.lm_warmup, cfg.lm_training)

    def make_lm():
        if reuse_model is not None:
            model, stats = _import_model(reuse_model, cfg)
        else:
            model, stats = training.train_lm(cfg, train_stream, eval_seqs, bos, log)
            export.round_to_fp16(model)
        return {"state": model.state_dict(), "stats": stats}

    saved = _cached(work / f"lm-{lm_key}.pt", make_lm, "the transformer" + (f" from {reuse_model}" if reuse_model else ""))
    model = GPT(cfg.vocab_size, cfg.n_layers, cfg.d_model, cfg.n_heads, cfg.n_ctx)
    model.load_state_dict(saved["state"])
    model.eval()
    lm_stats = saved["stats"]
    for p in model.parameters():
        p.requires_grad_(False)

    # ---- SAEs: each hook's activations collected once, every SAE on that hook trained on all of them ----
    hooks = sorted({s.hook for s in cfg.saes})
    acts_key = stage_key(lm_key, hooks, cfg.sae_tokens, cfg.seed)
    acts_dir = work / f"acts-{acts_key}"
    if not (acts_dir / "done").exists():
        log(f"collecting {cfg.sae_tokens:,} activations at {len(hooks)} hooks")
        n_seqs = cfg.sae_tokens // (cfg.n_ctx - 1) + 1
        seqs = training.windows(train_stream, n_seqs, cfg.n_ctx, bos, torch.Generator().manual_seed(cfg.seed + 1))
        training.collect(model, seqs, hooks, acts_dir, cfg.sae_tokens, log)
    sae_paths = {s.id: work / "saes" / f"{s.id}-{stage_key(acts_key, s, cfg.sae_batch, cfg.sae_lr, cfg.sae_training)}.pt"
                 for s in cfg.saes}
    pending = [s for s in cfg.saes if not sae_paths[s.id].exists()]
    stage_times = work / "saes" / f"wall-{acts_key}.json"  # seconds of every SAE training run, across resumes
    if pending:
        t0 = time.time()
        (work / "saes").mkdir(parents=True, exist_ok=True)
        jobs = [(share, cfg, acts_dir, {s.id: sae_paths[s.id] for s in share})
                for share in training.share_out(pending, cfg.sae_workers) if share]
        log(f"training {len(pending)} SAEs in {len(jobs)} processes")
        if len(jobs) == 1:
            training.train_share(*jobs[0])
        else:
            # one core per process: the top-k selections and pursuits are single-threaded, so two
            # processes keep both cores busy where one process with two BLAS threads would not
            os.environ["OPENBLAS_NUM_THREADS"] = "1"
            with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
                pool.starmap(training.train_share, jobs)
        runs = json.loads(stage_times.read_text()) if stage_times.exists() else []
        stage_times.write_text(json.dumps(runs + [{"saes": [s.id for s in pending], "seconds": time.time() - t0}]) + "\n")
    saes = {}
    for spec in cfg.saes:
        if spec.architecture == "standard":
            refit = sae_paths[spec.id].with_name(f"{spec.id}-refit-{stage_key(sae_paths[spec.id].name, cfg.decoder_finetune)}.pt")
            if not refit.exists():
                log(f"refitting {spec.id}'s decoder without the L1 penalty")
                sae, stats = torch.load(sae_paths[spec.id])
                for p in sae.parameters():
                    p.requires_grad_(p is sae.W_dec)
                stats = {**stats, **training.finetune_decoder(sae, training.load_acts(acts_dir, spec.hook), cfg)}
                export.round_to_fp16(sae)
                torch.save((sae, stats), refit)
            sae, stats = torch.load(refit)
        else:
            sae, stats = torch.load(sae_paths[spec.id])
        sae.freeze_threshold()
        saes[spec.id] = {"sae": sae, "stats": stats}

    # ---- the model's own figures (the SAEs' come from the engine's evaluator, scripts/evaluate-bundle.ts) ----
    ev = cfg.evaluation
    train_windows = training.windows(train_stream, ev.train_loss_seqs, cfg.n_ctx + 1, bos,
                                     torch.Generator().manual_seed(cfg.seed + 2))
    prompts = ["The President said that", "And it came to pass", "Call me", "The jury found"]
    report = {
        "name": cfg.name,
        "corpus": corpus.describe(docs),
        "tokens": {"train": len(train_stream), "heldout": len(heldout_stream),
                   "heldout_by_source": {name: len(t) for name, t in streams["heldout"].items()}},
        "model": {
            "n_layers": cfg.n_layers, "d_model": cfg.d_model, "n_heads": cfg.n_heads, "n_ctx": cfg.n_ctx,
            "vocab_size": cfg.vocab_size, "params": sum(p.numel() for p in model.parameters()),
            "train_tokens": lm_stats["tokens"], "train_seconds": lm_stats["seconds"], "curve": lm_stats["curve"],
            **({"imported_from": lm_stats["imported_from"]} if "imported_from" in lm_stats else {}),
            # the final model on random training windows, not the running average of the last interval
            "train_loss": training.eval_loss(model, train_windows),
            "train_loss_windows": ev.train_loss_seqs,
            "unigram_loss": evaluate.unigram_loss(train_stream, eval_seqs[:ev.heldout_loss_seqs], cfg.vocab_size),
            "samples": [{"prompt": p, "text": evaluate.sample(model, tok, p, ev, bos, cfg.seed + i)}
                        for i, p in enumerate(prompts)],
        },
        "saes": [{"id": s.id, "hook_name": s.hook, "architecture": s.architecture, "kind": s.kind,
                  "d_in": saes[s.id]["sae"].d_in, "d_sae": saes[s.id]["sae"].d_sae, "k": s.k,
                  **saes[s.id]["stats"]} for s in cfg.saes],
        "targets": dataclasses.asdict(cfg.targets),
        "build": {"this_run_seconds": time.time() - wall0, **_stage_seconds(acts_dir, stage_times, lm_stats),
                  "sae_tokens_per_hook": cfg.sae_tokens,
                  "torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
                  "cpu": _cpu_name(), "config_key": stage_key(cfg)},
    }

    # ---- the bundle ----
    log(f"writing bundle to {out}")
    if out.exists():
        shutil.rmtree(out)
    (out / "saes").mkdir(parents=True)
    (out / "data").mkdir()
    (out / "fixtures").mkdir()
    shutil.copy(tok_path, out / "tokenizer.json")
    io_names = export.export_onnx(model, out / "model.onnx")
    export.save_safetensors(out / "model_weights.safetensors", export.model_weights(model))
    # the same model in Hugging Face's GPT-2 layout, which the app can also load (docs/GPT2.md)
    hf_layout.write_hf_layout(model, out / hf_layout.HF_FOLDER, out / "tokenizer.json", cfg.vocab_size, bos)
    for spec in cfg.saes:
        export.save_sae(out / "saes" / spec.id, spec, saes[spec.id]["sae"], cfg, _layer(spec.hook))
    # held-out windows per source, one source after another, so the evaluator can report each
    sources, parts = [], []
    for name, stream in streams["heldout"].items():
        w = training.fixed_windows(stream, cfg.heldout_seq_len, cfg.heldout_seqs, bos)
        if not len(w):
            continue
        sources.append({"id": name, "n_seqs": int(w.shape[0])})
        parts.append(w)
    heldout = torch.cat(parts)
    heldout.numpy().astype("<u2").tofile(out / "data" / "heldout.u16")
    heldout_text.write_heldout_text(out / heldout_text.HELDOUT_TEXT, heldout_by_source)
    write_fixtures(out / "fixtures", model, tok, {s.id: saes[s.id]["sae"] for s in cfg.saes}, cfg, heldout_docs, bos)
    hf_forward.main(out)  # checks the Hugging Face layout and writes its processed-hook fixtures
    (out / "report.json").write_text(json.dumps(report, indent=1) + "\n")
    manifest = {
        "format": "sae-explorer-bundle",
        "version": 1,
        "name": cfg.name,
        "model": {
            "onnx": "model.onnx", "weights": "model_weights.safetensors",
            "n_layers": cfg.n_layers, "d_model": cfg.d_model, "n_heads": cfg.n_heads,
            "d_head": cfg.d_model // cfg.n_heads, "n_ctx": cfg.n_ctx, "d_vocab": cfg.vocab_size,
            "bos_token_id": bos,
            "hooks": model.hook_names(),
            "steer_inputs": model.steer_hooks,
            "inputs": io_names["inputs"],
            "outputs": io_names["outputs"],
        },
        "tokenizer": "tokenizer.json",
        "saes": [{"id": s.id, "path": f"saes/{s.id}", "hook_name": s.hook, "architecture": s.architecture,
                  "d_in": saes[s.id]["sae"].d_in, "d_sae": saes[s.id]["sae"].d_sae, "kind": s.kind,
                  "layer": _layer(s.hook), "title": s.title} for s in cfg.saes],
        "data": {"heldout": {"path": "data/heldout.u16", "dtype": "uint16", "seq_len": cfg.heldout_seq_len,
                             "n_seqs": int(heldout.shape[0]), "sources": sources,
                             "text": heldout_text.HELDOUT_TEXT}},
        "fixtures": "fixtures/fixtures.json",
        "report": "report.json",
    }
    # sizes and hashes of the files the app loads, so it can tell a whole copy from a cut one
    manifest["files"] = _file_checks(out, ["model.onnx", "model_weights.safetensors", "tokenizer.json", "data/heldout.u16", heldout_text.HELDOUT_TEXT]
                                     + [f"saes/{s.id}/{name}" for s in cfg.saes for name in ("cfg.json", "sae_weights.safetensors")])
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


def _file_checks(out: Path, paths: list) -> dict:
    """{path: {"bytes", "sha256"}} of bundle files (format in docs/ARCHITECTURE.md)."""
    return {p: {"bytes": (out / p).stat().st_size, "sha256": hashlib.sha256((out / p).read_bytes()).hexdigest()} for p in paths}


def _stage_seconds(acts_dir: Path, sae_runs: Path, lm_stats: dict) -> dict:
    """Wall time of the long stages, as recorded when they ran (a rerun that finds them cached adds nothing)."""
    collected = json.loads((acts_dir / "done").read_text())
    runs = json.loads(sae_runs.read_text()) if sae_runs.exists() else []
    return {"lm_train_seconds": lm_stats["seconds"], "collect_seconds": collected["seconds"],
            "sae_train_seconds": sum(r["seconds"] for r in runs)}


def _cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _prompts_ce(model: GPT, seqs: list[torch.Tensor], patch) -> float:
    nats, n = 0.0, 0
    for ids in seqs:
        nats += training.lm_loss(model, ids, patch).item() * (ids.shape[1] - 1)
        n += ids.shape[1] - 1
    return nats / n


def _splice(sae, hook: str):
    """Every position but BOS replaced by the SAE's reconstruction."""
    def patch(h):
        flat = h.reshape(*h.shape[:2], -1)
        recon = sae.decode(sae.encode(flat[0, 1:]))[None]
        return torch.cat([flat[:, :1], recon], dim=1).view_as(h)
    return {hook: patch}


def _zero_ablate(hook: str):
    def patch(h):
        out = h.clone()
        out[:, 1:] = 0
        return out
    return {hook: patch}


def _fixture_prompts(heldout_docs: list[str], n: int, max_chars: int) -> list[str]:
    lines = [ln.strip() for d in heldout_docs for ln in d.split("\n") if len(ln.strip()) > 40]
    step = max(len(lines) // n, 1)
    return [lines[i * step][:max_chars].rsplit(" ", 1)[0] for i in range(n)]


@torch.no_grad()
def write_fixtures(folder: Path, model: GPT, tok, saes: dict, cfg, heldout_docs: list[str], bos: int) -> None:
    prompts = _fixture_prompts(heldout_docs, 3, 60)  # short: dense SAE activations are [tokens, d_sae] each
    tensors, meta = {}, []
    for i, text in enumerate(prompts):
        ids = [bos] + tok.encode(text)
        ids = ids[: cfg.n_ctx]
        logits, hooks = model(torch.tensor([ids]))
        tensors[f"p{i}.logits"] = logits[0]
        for name in model.hook_names():
            tensors[f"p{i}.{name}"] = hooks[name][0]
        for sae_id, sae in saes.items():
            hook = next(s.hook for s in cfg.saes if s.id == sae_id)
            x = hooks[hook][0].reshape(len(ids), -1)
            tensors[f"p{i}.sae.{sae_id}"] = sae.encode(x)
        meta.append({"text": text, "tokens": ids})
    export.save_safetensors(folder / "fixtures.safetensors", {k: v.float().contiguous() for k, v in tensors.items()})
    seqs = [torch.tensor([m["tokens"]]) for m in meta]
    splice = {}
    for sae_id, sae in saes.items():
        hook = next(s.hook for s in cfg.saes if s.id == sae_id)
        splice[sae_id] = {"ce_spliced": _prompts_ce(model, seqs, _splice(sae, hook)),
                          "ce_zero_ablation": _prompts_ce(model, seqs, _zero_ablate(hook))}
    (folder / "fixtures.json").write_text(json.dumps({
        "prompts": meta, "tensors": "fixtures.safetensors", "hooks": ["logits", *model.hook_names()],
        "saes": list(saes), "tokenizer_lines": "tokenizer_lines.jsonl",
        # next-token cross-entropy (nats) over every prediction of all prompts, with each SAE's
        # reconstruction in place of its hook's activations, and with the hook zeroed (BOS kept)
        "ce": {"clean": _prompts_ce(model, seqs, None), "by_sae": splice},
        "note": "PyTorch fp32 on the exported (fp16-rounded) weights; BOS prepended; batch dimension dropped",
    }, indent=1) + "\n")
    # held-out lines, long ones cut at sentence ends, so that there are enough of them
    lines = [part for d in heldout_docs for ln in d.split("\n") for part in re.split(r"(?<=[.!?]) (?=[A-Z])", ln)
             if part.strip()]
    step = max(len(lines) // cfg.tokenizer_fixture_lines, 1)
    chosen = lines[::step][: cfg.tokenizer_fixture_lines] + UNICODE_LINES
    with open(folder / "tokenizer_lines.jsonl", "w", encoding="utf-8") as f:
        for ln in chosen:
            f.write(json.dumps({"text": ln, "ids": tok.encode(ln)}, ensure_ascii=False) + "\n")
