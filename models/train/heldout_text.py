"""The held-out documents as text (data/heldout.jsonl), beside the token windows cut from them.

A model with another tokenizer (GPT-2 opened from Hugging Face files) re-tokenises this text to get
a held-out corpus of its own; the engine cuts it into windows exactly as the pipeline cuts
data/heldout.u16 (per source, each document followed by BOS, whole windows of seq_len - 1 tokens
after a BOS), so with the bundle's own tokenizer the two agree token for token.

    python3 models/train/heldout_text.py models/explorer-4l   # rewrites it for a built bundle
"""
import hashlib
import json
import sys
from pathlib import Path

import corpus
from config import CONFIGS

HELDOUT_TEXT = "data/heldout.jsonl"


def write_heldout_text(path: Path, heldout_by_source: dict[str, list[str]]) -> None:
    """One JSON object per line, {"source", "text"}: sources in the order of heldout.u16, documents in corpus order."""
    with path.open("w", encoding="utf-8") as f:
        for source, texts in heldout_by_source.items():
            for text in texts:
                f.write(json.dumps({"source": source, "text": text}, ensure_ascii=False) + "\n")


def main(bundle: Path) -> None:
    manifest_path = bundle / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    cfg = next((c for c in CONFIGS.values() if c.name == manifest["name"]), None)
    if cfg is None:
        sys.exit(f"{bundle}: no configuration is named {manifest['name']!r}")
    docs = corpus.load_documents(cfg.max_chars_per_source)
    _, heldout_by_source = corpus.split(docs, cfg.heldout_fraction, cfg.seed)
    write_heldout_text(bundle / HELDOUT_TEXT, heldout_by_source)
    data = (bundle / HELDOUT_TEXT).read_bytes()
    manifest["data"]["heldout"]["text"] = HELDOUT_TEXT
    manifest["files"][HELDOUT_TEXT] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {bundle / HELDOUT_TEXT}: {sum(map(len, heldout_by_source.values()))} documents, {len(data):,} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 models/train/heldout_text.py <bundle-dir>")
    main(Path(sys.argv[1]))
