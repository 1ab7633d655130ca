"""A small learned reader for `/boundary` queries: multinomial logistic regression in pure Python.

The rules in `matcher.py` read who did what with hand-written cues, and new authors keep finding
wording the cues do not know. This model learns from every labelled phrasing we have (and from the
situations' own aliases, examples and keywords), over features that carry to new wording:

- words and word pairs of the normalised, typo-corrected query (``w:`` and ``b:``);
- character 3- to 5-grams inside each word as typed (``c:``), so "freind" and "frend" still share most
  of "friend" even when the typo corrector leaves them alone;
- the rules' own signals (``s:``: cue hits, crisis families, keyword evidence, the rules' best guess),
  so the model learns when the rules are worth trusting.

Weights are trained offline by `scripts/train_matcher.py` (numpy/scipy there, never here) and stored in
`model.json.gz` next to this file with the thresholds calibrated for them. Inference is a handful of
dictionary look-ups per word (a word's character-gram sum is cached) and one softmax: tens of
microseconds, no dependency beyond the standard library.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("model.json.gz")
#: The class for "none of the situations" (a label of null in the phrasing sets).
NONE_CLASS = "none"
#: Character grams are many per word; each counts for less than a whole word does.
CHAR_VALUE = 0.2
CHAR_SIZES = (3, 4, 5)
_CACHE_LIMIT = 20_000  # a long-running bot must not grow without limit


def char_grams(word: str) -> list[str]:
    """The 3- to 5-grams of a word with its edges marked ("<fri", "end>"), each once."""
    marked = f"<{word}>"
    grams = {marked[start : start + size] for size in CHAR_SIZES for start in range(len(marked) - size + 1)}
    return sorted(grams)


def features(tokens: Sequence[str], words: Sequence[str], signals: Iterable[str]) -> dict[str, float]:
    """Feature values of one query: the one definition training and inference share.

    `tokens` are the typo-corrected words, `words` the words as typed (normalised only), `signals`
    the rules' signals. Words, pairs and signals count once; character grams add up over distinct words.
    """
    found: dict[str, float] = {}
    for token in tokens:
        found[f"w:{token}"] = 1.0
    for first, second in itertools.pairwise(tokens):
        found[f"b:{first}_{second}"] = 1.0
    for word in dict.fromkeys(words):
        for gram in char_grams(word):
            name = f"c:{gram}"
            found[name] = found.get(name, 0.0) + CHAR_VALUE
    for signal in signals:
        found[f"s:{signal}"] = 1.0
    return found


@dataclass(frozen=True)
class Thresholds:
    """When the model may answer on its own (calibrated offline on out-of-fold predictions)."""

    answer: float  # the top class's probability
    margin: float  # ahead of the runner-up by at least this
    crisis: float  # crisis-post this likely answers crisis-post (lean crisis)


class Model:
    """Weights per feature and class; `probabilities` is pure and cheap."""

    def __init__(
        self,
        classes: Sequence[str],
        bias: Sequence[float],
        weights: dict[str, list[float]],
        thresholds: Thresholds,
    ) -> None:
        self.classes = tuple(classes)
        self.thresholds = thresholds
        self._bias = [float(value) for value in bias]
        self._weights = weights
        self._words: dict[str, list[float]] = {}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Model:
        classes = data["classes"]
        bias = data["bias"]
        weights = data["weights"]
        thresholds = data["thresholds"]
        if not (
            isinstance(classes, list)
            and isinstance(bias, list)
            and isinstance(weights, dict)
            and isinstance(thresholds, dict)
        ):
            raise ValueError("model file is malformed")
        if len(bias) != len(classes) or any(len(row) != len(classes) for row in weights.values()):
            raise ValueError("model file is malformed: weight rows do not match the classes")
        return cls(
            [str(name) for name in classes],
            [float(value) for value in bias],
            {str(name): [float(value) for value in row] for name, row in weights.items()},
            Thresholds(
                float(thresholds["answer"]), float(thresholds["margin"]), float(thresholds["crisis"])
            ),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "classes": list(self.classes),
            "bias": self._bias,
            "weights": self._weights,
            "thresholds": {
                "answer": self.thresholds.answer,
                "margin": self.thresholds.margin,
                "crisis": self.thresholds.crisis,
            },
        }

    def _word_vector(self, word: str) -> list[float] | None:
        """The summed character-gram weights of one typed word, cached (words repeat a lot)."""
        cached = self._words.get(word, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        total: list[float] | None = None
        for gram in char_grams(word):
            row = self._weights.get(f"c:{gram}")
            if row is not None:
                total = list(row) if total is None else [a + b for a, b in zip(total, row, strict=True)]
        if total is not None:
            total = [value * CHAR_VALUE for value in total]
        if len(self._words) < _CACHE_LIMIT:
            self._words[word] = total  # type: ignore[assignment]
        return total

    def probabilities(
        self, tokens: Sequence[str], words: Sequence[str], signals: Iterable[str]
    ) -> dict[str, float]:
        """Probability of each class (situation keys and `none`); sums to 1."""
        rows: list[list[float]] = []
        weights = self._weights
        for token in dict.fromkeys(tokens):
            row = weights.get(f"w:{token}")
            if row is not None:
                rows.append(row)
        for pair in dict.fromkeys(itertools.pairwise(tokens)):
            row = weights.get(f"b:{pair[0]}_{pair[1]}")
            if row is not None:
                rows.append(row)
        for word in dict.fromkeys(words):
            vector = self._word_vector(word)
            if vector is not None:
                rows.append(vector)
        for signal in dict.fromkeys(signals):
            row = weights.get(f"s:{signal}")
            if row is not None:
                rows.append(row)
        logits = [sum(column) for column in zip(self._bias, *rows, strict=True)]
        top = max(logits)
        exps = [math.exp(value - top) for value in logits]
        total = sum(exps)
        return {name: value / total for name, value in zip(self.classes, exps, strict=True)}


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> Model | None:
    """The shipped model, read once per process; None when the file is absent (rules only)."""
    if not path.exists():
        return None
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return Model.from_json(json.load(handle))
