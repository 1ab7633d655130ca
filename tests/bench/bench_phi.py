"""Benchmark the identifier screen: speed on a 2,000-character text and accuracy on our labelled sets.

Run from the repository root::

    python tests/bench/bench_phi.py

It also measures presidio-analyzer with its pattern recognizers only (regular expressions and the
phone-number library; no spaCy model, nothing downloaded) when it is installed
(``pip install presidio-analyzer``), so the two can be compared on the same texts.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.privacy import screen  # noqa: E402

DATA = ROOT / "tests" / "privacy" / "data"
RUNS = 2000
WARMUP = 50

Detector = Callable[[str], bool]  # True when the text is judged identifying


def load(name: str) -> list[dict[str, object]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def long_text(rows: list[dict[str, object]]) -> str:
    """A realistic 2,000-character consultation: labelled texts joined, cut at 2,000 characters."""
    return " ".join(str(r["text"]) for r in rows)[:2000]


def timing(detect: Detector, text: str, runs: int = RUNS) -> tuple[float, float]:
    """Median and 99th-percentile milliseconds per call, after a warm-up."""
    for _ in range(WARMUP):
        detect(text)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        detect(text)
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def accuracy(detect: Detector, rows: list[dict[str, object]]) -> tuple[float, float]:
    """Recall on identifying texts and pass rate on clean texts."""
    identifying = [r for r in rows if r["identifying"]]
    clean = [r for r in rows if not r["identifying"]]
    found = sum(detect(str(r["text"])) for r in identifying)
    passed = sum(not detect(str(r["text"])) for r in clean)
    return found / len(identifying), passed / len(clean)


def ours(text: str) -> bool:
    return not screen(text).clean


def presidio_detector(threshold: float) -> Detector | None:
    """Presidio's predefined recognizers minus the spaCy one, behind a no-op NLP engine."""
    try:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer
    except ImportError:
        return None

    class NoNlpEngine(NlpEngine):  # type: ignore[misc]
        """Returns empty artifacts: no model, no tokens, so only pattern recognizers fire."""

        def load(self) -> None:
            return None

        def is_loaded(self) -> bool:
            return True

        def process_text(self, text: str, language: str) -> NlpArtifacts:
            return NlpArtifacts(
                entities=[], tokens=[], tokens_indices=[], lemmas=[], nlp_engine=self, language=language
            )

        def process_batch(self, texts, language, batch_size=1, n_process=1, **kwargs):  # type: ignore[no-untyped-def]
            for text in texts:
                yield text, self.process_text(text, language)

        def is_stopword(self, word: str, language: str) -> bool:
            return False

        def is_punct(self, word: str, language: str) -> bool:
            return False

        def get_supported_entities(self) -> list[str]:
            return []

        def get_supported_languages(self) -> list[str]:
            return ["en"]

    try:  # Presidio validates domains with tldextract: use its bundled suffix list, no network.
        import tldextract

        tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    except ImportError:
        pass

    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"])
    for rec in list(registry.recognizers):
        if isinstance(rec, SpacyRecognizer):
            registry.remove_recognizer(rec.name)
    engine = AnalyzerEngine(registry=registry, nlp_engine=NoNlpEngine(), supported_languages=["en"])

    def detect(text: str) -> bool:
        return bool(engine.analyze(text=text, language="en", score_threshold=threshold))

    return detect


#: Pairs of labelled sets reported side by side: (first, second, how each was written).
SET_PAIRS = [
    (
        "phi_blind.jsonl",
        "phi_final.jsonl",
        "blind: written before reading the rules, then tuned against; "
        "final: written after round-1 tuning, round 2 addressed its misses",
    ),
    (
        "phi_round2.jsonl",
        "phi_round2_final.jsonl",
        "round 2: written before reading the rules, then tuned "
        "against; round-2 final: written after tuning, round 3 addressed its misses",
    ),
    (
        "phi_round3.jsonl",
        "phi_round3_final.jsonl",
        "round 3: ordinary texts, tuned against; round-3 final: "
        "written after round-3 tuning, never tuned against",
    ),
    (
        "phi_eval.jsonl",
        "phi_eval.jsonl",
        "independent evaluation set, written by someone who never read the "
        "rules (94.0% / 99.0% before the four shape fixes it prompted)",
    ),
]


def main() -> None:
    main_rows = load("phi_texts.jsonl")
    holdout = load("phi_holdout.jsonl")
    text = long_text(main_rows)
    detectors: list[tuple[str, Detector]] = [("boundary screen", ours)]
    for threshold in (0.5, 0.0):
        presidio = presidio_detector(threshold)
        if presidio is None:
            print("presidio-analyzer is not installed: `pip install presidio-analyzer` to compare.")
            break
        detectors.append((f"presidio patterns (score>={threshold})", presidio))

    rows: list[tuple[str, float, float, float, float, float, float]] = []
    for name, detect in detectors:
        runs = RUNS if detect is ours else 300
        median, p99 = timing(detect, text, runs)
        rows.append((name, median, p99, *accuracy(detect, main_rows), *accuracy(detect, holdout)))

    print(f"text length {len(text)} chars; main set {len(main_rows)} texts, held-out {len(holdout)} texts")
    header = (
        f"{'detector':36} {'median ms':>9} {'p99 ms':>8} {'recall':>7} {'clean':>7}"
        f" {'ho recall':>9} {'ho clean':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, median, p99, recall, clean, h_recall, h_clean in rows:
        print(f"{name:36} {median:9.3f} {p99:8.3f} {recall:7.1%} {clean:7.1%} {h_recall:9.1%} {h_clean:8.1%}")
    for first_name, second_name, about in SET_PAIRS:
        first, second = load(first_name), load(second_name)
        print(f"\n{first_name} ({len(first)} texts) / {second_name} ({len(second)} texts): {about}")
        table = f"{'detector':36} {'1st rec':>9} {'1st cln':>9} {'2nd rec':>9} {'2nd cln':>9}"
        print(table)
        print("-" * len(table))
        for name, detect in detectors:
            a_recall, a_clean = accuracy(detect, first)
            b_recall, b_clean = accuracy(detect, second)
            print(f"{name:36} {a_recall:9.1%} {a_clean:9.1%} {b_recall:9.1%} {b_clean:9.1%}")
    base = rows[0]
    for other in rows[1:]:
        print(
            f"ours vs {other[0]}: time ratio ours/presidio {base[1] / other[1]:.2f} (median), "
            f"recall {base[3] - other[3]:+.1%} main / {base[5] - other[5]:+.1%} held-out, "
            f"clean pass {base[4] - other[4]:+.1%} main / {base[6] - other[6]:+.1%} held-out"
        )


if __name__ == "__main__":
    main()
