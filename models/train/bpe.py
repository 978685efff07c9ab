"""Byte-level BPE (GPT-2 style), trained here and saved as a Hugging Face tokenizer.json.

The browser's tokenizer (src/engine/tokenizer) reads the same tokenizer.json; the fixtures pin the
two to each other on held-out lines.
"""
import json
from collections import Counter, defaultdict

import regex

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
_PRETOKENIZE = regex.compile(GPT2_PATTERN)
EOT = "<|endoftext|>"


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte → printable character map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_CHARS = bytes_to_unicode()


def pretokenize(text: str) -> list[str]:
    return ["".join(BYTE_CHARS[b] for b in piece.encode("utf-8")) for piece in _PRETOKENIZE.findall(text)]


def train(texts: list[str], vocab_size: int) -> tuple[dict[str, int], list[tuple[str, str]]]:
    word_freq: Counter[str] = Counter()
    for t in texts:
        word_freq.update(pretokenize(t))
    words = [list(w) for w in word_freq]
    freqs = list(word_freq.values())

    vocab = {EOT: 0}
    for ch in sorted(BYTE_CHARS.values(), key=lambda c: ord(c)):
        vocab[ch] = len(vocab)

    pair_counts: Counter[tuple[str, str]] = Counter()
    where: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
    for wi, syms in enumerate(words):
        for a, b in zip(syms, syms[1:]):
            pair_counts[(a, b)] += freqs[wi]
            where[(a, b)].add(wi)

    merges = []
    while len(vocab) < vocab_size and pair_counts:
        best = max(pair_counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
        if pair_counts[best] <= 0:
            break
        merged = best[0] + best[1]
        merges.append(best)
        vocab[merged] = len(vocab)
        for wi in list(where[best]):
            syms, f = words[wi], freqs[wi]
            for a, b in zip(syms, syms[1:]):
                pair_counts[(a, b)] -= f
            out, i = [], 0
            while i < len(syms):
                if i + 1 < len(syms) and syms[i] == best[0] and syms[i + 1] == best[1]:
                    out.append(merged)
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            words[wi] = out
            for a, b in zip(out, out[1:]):
                pair_counts[(a, b)] += f
                where[(a, b)].add(wi)
        del pair_counts[best]
        where.pop(best, None)
    return vocab, merges


class Tokenizer:
    def __init__(self, vocab: dict[str, int], merges: list[tuple[str, str]]):
        self.vocab = vocab
        self.ranks = {pair: i for i, pair in enumerate(merges)}
        self.merges = merges
        self.id_to_token = {i: t for t, i in vocab.items()}
        self._cache: dict[str, list[int]] = {}
        self._byte_decoder = {c: b for b, c in BYTE_CHARS.items()}

    def _bpe(self, word: str) -> list[int]:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        syms = list(word)
        while len(syms) > 1:
            ranked = [(self.ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(syms, syms[1:]))]
            rank, i = min(ranked)
            if rank == 1 << 30:
                break
            syms[i:i + 2] = [syms[i] + syms[i + 1]]
        ids = [self.vocab[s] for s in syms]
        self._cache[word] = ids
        return ids

    def encode(self, text: str) -> list[int]:
        """Plain text → ids, with `<|endoftext|>` recognised as the special token."""
        ids: list[int] = []
        for i, part in enumerate(text.split(EOT)):
            if i:
                ids.append(self.vocab[EOT])
            for word in pretokenize(part):
                ids.extend(self._bpe(word))
        return ids

    def decode(self, ids: list[int]) -> str:
        out, pending = [], bytearray()
        for i in ids:
            token = self.id_to_token[i]
            if token == EOT:
                out.append(pending.decode("utf-8", errors="replace") + EOT)
                pending = bytearray()
            else:
                pending.extend(self._byte_decoder[c] for c in token)
        return "".join(out) + pending.decode("utf-8", errors="replace")

    def to_hf_json(self) -> dict:
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [{"id": 0, "content": EOT, "single_word": False, "lstrip": False, "rstrip": False,
                              "normalized": True, "special": True}],
            "normalizer": None,
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
            "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                      "vocab": self.vocab, "merges": [f"{a} {b}" for a, b in self.merges]},
        }

    @classmethod
    def from_hf_json(cls, data: dict) -> "Tokenizer":
        merges = [tuple(m.split(" ", 1)) if isinstance(m, str) else tuple(m) for m in data["model"]["merges"]]
        return cls(data["model"]["vocab"], merges)

    def save(self, path) -> None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_hf_json(), f, ensure_ascii=False)
