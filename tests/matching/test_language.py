"""Language detection when a text comes without one (lingua, the desk's languages, offline)."""

import pytest

from claims.matching.language import detect_language

SAMPLES = [
    ("Nikol Pashinyan said that only ten per cent of the Iskander missiles exploded.", "en"),
    ("Никол Пашинян заявил, что взорвались лишь десять процентов ракет.", "ru"),
    ("Nikol Paşinyan bildirib ki, İskəndər raketlərinin yalnız on faizi partlayıb.", "az"),
    ("Նիկոլ Փաշինյանը հայտարարել է, որ հրթիռների միայն տասը տոկոսն է պայթել։", "hy"),
    ("Пашинян заявил", "ru"),
    ("İsti su içmək koronavirusu öldürür.", "az"),
]


@pytest.mark.parametrize(("text", "language"), SAMPLES)
def test_the_language_of_a_claim_is_detected(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "   ", "123 456 %", "—"])
def test_no_letters_no_language(text):
    assert detect_language(text) is None


def test_every_text_of_the_evaluation_set_is_detected_right():
    from benchmarks.matching.evaluation import load_set

    topics, distractors = load_set()
    texts = [(text, language) for t in topics for language, text in t["texts"].items()]
    texts += [(t["rewording"], t["origin"]) for t in topics] + [(d["text"], d["lang"]) for d in distractors]
    wrong = [(text, language, detect_language(text)) for text, language in texts if detect_language(text) != language]
    assert wrong == []
    assert len(texts) == 248
