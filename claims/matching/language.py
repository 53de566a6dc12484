"""Which language a text is written in, when nobody said: `detect_language(text) -> str | None`.

lingua (offline, n-gram models inside the package) restricted to the desk's languages, in its
low-accuracy mode: trigram models only, 4 languages ≈ 15 MB resident instead of ≈ 150 MB for the
full models, and ≈ 0.15 ms per call. Scripts settle most cases before lingua is asked: Armenian
letters are Armenian; Cyrillic is told apart from Latin by lingua only among the languages that
use it. The answer is a BCP 47 tag, or None when the text has no letters or lingua is unsure; the
desk can always correct it.
"""

from __future__ import annotations

import threading
import unicodedata
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from lingua import LanguageDetector

# The languages the desk works in (the UI's): what detection may answer.
DEFAULT_LANGUAGES = ("en", "ru", "az", "hy")
_LINGUA_NAMES = {
    "en": "ENGLISH",
    "ru": "RUSSIAN",
    "az": "AZERBAIJANI",
    "hy": "ARMENIAN",
    "uk": "UKRAINIAN",
    "tr": "TURKISH",
    "ka": "GEORGIAN",
    "fr": "FRENCH",
    "de": "GERMAN",
    "es": "SPANISH",
    "fa": "PERSIAN",
    "ar": "ARABIC",
}
# Below this, lingua's best guess is no better than a coin between two languages.
MIN_CONFIDENCE = 0.5
MIN_LETTERS = 3

_detector: LanguageDetector | None = None
_detector_lock = threading.Lock()


def detection_languages() -> tuple[str, ...]:
    configured = getattr(settings, "FACTCHECK_DETECTED_LANGUAGES", DEFAULT_LANGUAGES)
    return tuple(code for code in configured if code in _LINGUA_NAMES)


def _lingua_detector() -> LanguageDetector:
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                from lingua import Language, LanguageDetectorBuilder

                languages = [getattr(Language, _LINGUA_NAMES[code]) for code in detection_languages()]
                if len(languages) < 2:
                    raise ValueError("FACTCHECK_DETECTED_LANGUAGES needs at least two languages lingua knows.")
                _detector = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
    return _detector


def _script_of(text: str) -> str | None:
    """The script most letters of `text` are in ("ARMENIAN", "CYRILLIC", "LATIN", ...)."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = unicodedata.name(char, "").split(" ", 1)[0]
            counts[script] = counts.get(script, 0) + 1
    if sum(counts.values()) < MIN_LETTERS:
        return None
    return max(counts, key=lambda script: counts[script])


def detect_language(text: str) -> str | None:
    """The BCP 47 tag of the language `text` is written in (one of the desk's languages), or None."""
    text = " ".join((text or "").split())[:1000]
    script = _script_of(text)
    if script is None:
        return None
    languages = detection_languages()
    if script == "ARMENIAN" and "hy" in languages:
        return "hy"
    if script == "GEORGIAN" and "ka" in languages:
        return "ka"
    values = _lingua_detector().compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    iso = values[0].language.iso_code_639_1.name.lower()
    return iso if iso in languages else None
