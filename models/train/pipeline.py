"""The stages of a bundle build, each cached in the work folder so an interrupted build resumes."""
import json
import re
import shutil
import time
from pathlib import Path

import numpy as np
import torch

import bpe
import corpus
import evaluate
import export
import training
from model import GPT

UNICODE_LINES = [
    "Naïve café owners in São Paulo sell crème brûlée — for 5 €.",
    "東京は日本の首都です。 Москва — столица России.",
    "Emoji: 🙂🚀 and a family 👨‍👩‍👧 in one token run?",
    "Tabs\tand  double  spaces,\n\nnewlines   and trailing spaces   ",
    "Don't won't they're I'm you'll we'd it's — 'quoted' \"double\"",
    "Numbers 1234567 3.14159 1,000,000 and 1e-9; x^2 + y_1 = ∑ αβγ",
]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _layer(hook: str) -> int:
    return int(hook.split(".")[1])


def run(cfg, out: Path, work: Path) -> None:
    torch.set_num_threads(1)  # OpenBLAS uses the cores itself; torch's own threads only contend (MEASURED.md)
    torch.manual_seed(cfg.seed)
    work.mkdir(parents=True, exist_ok=True)

    # ---- corpus and tokenizer ----
    docs = corpus.load_documents(cfg.max_chars_per_source)
    train_docs, heldout_docs = corpus.split(docs, cfg.heldout_fraction, cfg.seed)
    tok_path = work / "tokenizer.json"
    if not tok_path.exists():
        log(f"training BPE ({cfg.vocab_size}) on {sum(map(len, train_docs)) / 1e6:.1f}M chars")
        vocab, merges = bpe.train(train_docs, cfg.vocab_size)
        bpe.Tokenizer(vocab, merges).save(tok_path)
    tok = bpe.Tokenizer.from_hf_json(json.loads(tok_path.read_text(encoding="utf-8")))
    bos = tok.vocab[bpe.EOT]
    tokens_path = work / "tokens.pt"
    if not tokens_path.exists():
        log("tokenizing the corpus")
        streams = {}
        for split_name, texts in (("train", train_docs), ("heldout", heldout_docs)):
            ids: list[int] = []
            for t in texts:
                ids.extend(tok.encode(t))
                ids.append(bos)
            streams[split_name] = torch.tensor(ids, dtype=torch.long)
        torch.save(streams, tokens_path)
    streams = torch.load(tokens_path)
    train_stream, heldout_stream = streams["train"], streams["heldout"]
    log(f"tokens: train {len(train_stream):,} heldout {len(heldout_stream):,}")
    eval_seqs = training.fixed_windows(heldout_stream, cfg.n_ctx + 1, 10_000, bos)

    # ---- transformer ----
    lm_path = work / "lm.pt"
    if not lm_path.exists():
        model, lm_stats = training.train_lm(cfg, train_stream, eval_seqs, bos, log)
        export.round_to_fp16(model)
        torch.save({"state": model.state_dict(), "stats": lm_stats}, lm_path)
    saved = torch.load(lm_path)
    model = GPT(cfg.vocab_size, cfg.n_layers, cfg.d_model, cfg.n_heads, cfg.n_ctx)
    model.load_state_dict(saved["state"])
    model.eval()
    lm_stats = saved["stats"]
    for p in model.parameters():
        p.requires_grad_(False)

    # ---- SAEs ----
    hooks = sorted({s.hook for s in cfg.saes})
    n_sae_seqs = cfg.sae_tokens // (cfg.n_ctx - 1) + 1
    gen = torch.Generator().manual_seed(cfg.seed + 1)
    acts = None
    saes = {}
    for spec in cfg.saes:
        path = work / "saes" / f"{spec.id}.pt"
        if not path.exists():
            if acts is None:
                log(f"collecting {cfg.sae_tokens:,} activations at {len(hooks)} hooks")
                seqs = training.windows(train_stream, n_sae_seqs, cfg.n_ctx, bos, gen)
                acts = training.collect(model, seqs, hooks)
            log(f"training SAE {spec.id}")
            sae, stats = training.train_sae(spec, acts[spec.hook][: cfg.sae_tokens], cfg, log)
            export.round_to_fp16(sae)
            path.parent.mkdir(parents=True, exist_ok=True)
            torch.save({"sae": sae, "stats": stats}, path)
        saes[spec.id] = torch.load(path)
        saes[spec.id]["sae"].freeze_threshold()
    del acts

    # ---- evaluation ----
    log("evaluating")
    ce_seqs = eval_seqs[:32]
    clean_ce = training.eval_loss(model, ce_seqs)
    eval_windows = training.fixed_windows(heldout_stream, cfg.n_ctx, cfg.eval_tokens // (cfg.n_ctx - 1) + 1, bos)
    eval_acts = training.collect(model, eval_windows, hooks)
    sae_reports = []
    for spec in cfg.saes:
        sae, stats = saes[spec.id]["sae"], saes[spec.id]["stats"]
        entry = {"id": spec.id, "hook_name": spec.hook, "architecture": spec.architecture, "kind": spec.kind,
                 "d_in": sae.d_in, "d_sae": sae.d_sae, "k": spec.k, **stats,
                 **evaluate.evaluate_sae(model, sae, spec, eval_acts[spec.hook], ce_seqs, clean_ce)}
        entry["missed"] = evaluate.missed_targets(entry)
        sae_reports.append(entry)
        log(f"  {spec.id}: L0 {entry['l0']:.1f} FVU {entry['fvu']:.3f} dead {entry['dead_pct']:.2f}% "
            f"CE rec {entry['ce_loss_recovered_pct']:.1f}%")
    heldout_loss = training.eval_loss(model, eval_seqs[:256])
    prompts = ["The President said that", "And it came to pass", "Call me", "The jury found"]
    report = {
        "name": cfg.name,
        "corpus": corpus.describe(docs),
        "tokens": {"train": len(train_stream), "heldout": len(heldout_stream)},
        "model": {
            "n_layers": cfg.n_layers, "d_model": cfg.d_model, "n_heads": cfg.n_heads, "n_ctx": cfg.n_ctx,
            "vocab_size": cfg.vocab_size, "params": sum(p.numel() for p in model.parameters()),
            "train_tokens": lm_stats["tokens"], "train_seconds": lm_stats["seconds"], "curve": lm_stats["curve"],
            "train_loss": lm_stats["curve"][-1]["train_loss"], "heldout_loss": heldout_loss,
            "unigram_loss": evaluate.unigram_loss(train_stream, eval_seqs[:256], cfg.vocab_size),
            "samples": [{"prompt": p, "text": evaluate.sample(model, tok, p, 30, bos, cfg.seed + i)}
                        for i, p in enumerate(prompts)],
        },
        "saes": sae_reports,
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
    for spec in cfg.saes:
        export.save_sae(out / "saes" / spec.id, spec, saes[spec.id]["sae"], cfg, _layer(spec.hook))
    heldout = training.fixed_windows(heldout_stream, cfg.heldout_seq_len, cfg.heldout_seqs, bos)
    heldout.numpy().astype("<u2").tofile(out / "data" / "heldout.u16")
    write_fixtures(out / "fixtures", model, tok, {s.id: saes[s.id]["sae"] for s in cfg.saes}, cfg, heldout_docs, bos)
    (out / "report.json").write_text(json.dumps(report, indent=1) + "\n")
    (out / "REPORT.md").write_text(evaluate.report_markdown(report))
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
            "steer_inputs": model.resid_hooks,
            "inputs": io_names["inputs"],
            "outputs": io_names["outputs"],
        },
        "tokenizer": "tokenizer.json",
        "saes": [{"id": s.id, "path": f"saes/{s.id}", "hook_name": s.hook, "architecture": s.architecture,
                  "d_in": saes[s.id]["sae"].d_in, "d_sae": saes[s.id]["sae"].d_sae, "kind": s.kind,
                  "layer": _layer(s.hook), "title": s.title} for s in cfg.saes],
        "data": {"heldout": {"path": "data/heldout.u16", "dtype": "uint16", "seq_len": cfg.heldout_seq_len,
                             "n_seqs": int(heldout.shape[0])}},
        "fixtures": "fixtures/fixtures.json",
        "report": "report.json",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


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
    (folder / "fixtures.json").write_text(json.dumps({
        "prompts": meta, "tensors": "fixtures.safetensors", "hooks": ["logits", *model.hook_names()],
        "saes": list(saes), "tokenizer_lines": "tokenizer_lines.jsonl",
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
