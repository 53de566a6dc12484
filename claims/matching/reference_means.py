"""Per-language mean vectors of neutral text, the prior for language centring (claims.matching.centring).

Multilingual sentence vectors carry a language component: two claims in the same language look
alike whatever they say, so a translation loses to a same-language distractor. Subtracting each
language's mean vector removes most of it (Libovický, Rosa & Fraser 2020, "On the language
neutrality of pre-trained multilingual representations"). A big desk knows its own means; a new
one starts from these, made from text that has nothing to do with claims or the evaluation set:
Django's own translated interface strings (its .po catalogues, installed with Django).

    .venv/bin/python -m claims.matching.reference_means   # rewrites reference_means.json
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import django

OUTPUT = Path(__file__).with_name("reference_means.json")
LANGUAGES = ("en", "ru", "az", "hy")
MIN_WORDS = 4
PER_LANGUAGE = 300


def catalogue_sentences(language: str) -> list[str]:
    """Interface strings of Django's catalogues in `language` (English: the msgids of the Russian ones)."""
    catalogue_language, key = ("ru", "msgid") if language == "en" else (language, "msgstr")
    root = Path(django.__file__).parent
    sentences: list[str] = []
    for path in sorted(root.glob(f"**/locale/{catalogue_language}/LC_MESSAGES/django.po")):
        for match in re.finditer(rf'^{key} "(.+)"$', path.read_text(encoding="utf-8"), re.MULTILINE):
            text = match.group(1)
            if len(text.split()) >= MIN_WORDS and "%" not in text and "{" not in text:
                sentences.append(text)
    return list(dict.fromkeys(sentences))[:PER_LANGUAGE]


def main() -> None:
    from claims.matching.embeddings import LocalE5Embedder

    embedder = LocalE5Embedder()
    means = {}
    for language in LANGUAGES:
        sentences = catalogue_sentences(language)
        means[language] = {
            "sentences": len(sentences),
            "mean": [round(float(x), 6) for x in embedder.embed(sentences).mean(axis=0)],
        }
    OUTPUT.write_text(json.dumps({"model": embedder.name, "django": django.get_version(), "languages": means}) + "\n")
    print(f"wrote {OUTPUT}: " + ", ".join(f"{k} ({v['sentences']} sentences)" for k, v in means.items()))


if __name__ == "__main__":
    main()
