"""Cross-lingual "checked before?" evaluation on benchmarks/matching (issue 22).

The set: 40 claims, each written in en, ru, az and hy (20 from the article, 20 public fact-check
topics), a rewording of each in its own ("origin") language, and 48 distractors on the same
people, places and numbers. The desk holds each claim in its origin language plus the distractors
(88 claims); every other text is a later arrival, and must find its claim:

- rewording: same language as the desk's claim, other words (40 queries);
- translation: the claim in each of the other three languages (120 queries, 10 per language pair).

success@k = share of arrivals whose claim is among the first k results. The same desk and queries
go through `find_similar_claims` in each mode: "lexical" (today's trigram + full-text ranking,
the baseline), "semantic" and "hybrid" (ours).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "ru", "az", "hy")


@dataclass(frozen=True)
class Arrival:
    topic: str
    kind: str  # "rewording" | "translation"
    origin: str  # the desk claim's language
    language: str  # the arrival's language
    text: str


def load_set(topic_limit: int | None = None) -> tuple[list[dict], list[dict]]:
    topics = json.loads((HERE / "topics_article.json").read_text()) + json.loads(
        (HERE / "topics_public.json").read_text()
    )
    distractors = json.loads((HERE / "distractors.json").read_text())
    if topic_limit is not None:
        topics = topics[:topic_limit]
    return topics, distractors


def arrivals(topics: list[dict]) -> list[Arrival]:
    out = []
    for topic in topics:
        origin = topic["origin"]
        out.append(Arrival(topic["id"], "rewording", origin, origin, topic["rewording"]))
        for language in LANGUAGES:
            if language != origin:
                out.append(Arrival(topic["id"], "translation", origin, language, topic["texts"][language]))
    return out


def build_desk(topics: list[dict], distractors: list[dict]) -> dict[int, str]:
    """Create the desk's claims (benchmark data: bulk, no history) and their vectors; {claim id: topic id or ""}."""
    from claims.matching.vectors import embed_claims
    from claims.models import Claim, Claimant

    claimant, _ = Claimant.objects.get_or_create(
        slug="eval-claimant", defaults={"name": "Evaluation", "kind": "person"}
    )
    rows = [(t["id"], t["origin"], t["texts"][t["origin"]]) for t in topics]
    rows += [("", d["lang"], d["text"]) for d in distractors]
    claims = Claim.objects.bulk_create(
        Claim(text=text, claim_reviewed=text[:75], slug=f"eval-{i}", claimant=claimant, language=language)
        for i, (_topic, language, text) in enumerate(rows)
    )
    embed_claims(claims)
    return {claim.pk: topic for claim, (topic, _language, _text) in zip(claims, rows, strict=True)}


def evaluate(desk: dict[int, str], queries: list[Arrival], modes: tuple[str, ...] = ("lexical", "hybrid")) -> dict:
    """{mode: {"rewording"|"translation"|"<origin>→<language>": {"n", "s1", "s5"}}, "cosines": ..., "misses": ...}."""
    from claims.matching.ranking import find_similar_claims, semantic_candidates

    results: dict = {}
    cosines: dict[str, list[float]] = {"match": [], "other": []}
    misses: list[str] = []
    for mode in modes:
        hits: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
        for arrival in queries:
            found = find_similar_claims(arrival.text, limit=5, mode=mode)  # type: ignore[arg-type]
            topics = [desk.get(m.claim.pk, "") for m in found]
            hit = (topics[:1] == [arrival.topic], arrival.topic in topics)
            hits[arrival.kind].append(hit)
            pair = "same language" if arrival.kind == "rewording" else f"{arrival.origin}→{arrival.language}"
            hits[f"{arrival.kind} {pair}"].append(hit)
            hits[f"{arrival.kind} {arrival.language}"].append(hit)
            if mode == modes[-1] and not hit[1]:
                misses.append(f"{arrival.kind} {pair} {arrival.topic}: {arrival.text}")
            if mode == modes[-1]:  # once per arrival: the raw semantic top 5, before any threshold
                for claim_id, cosine in semantic_candidates(arrival.text, k=5):
                    cosines["match" if desk.get(claim_id) == arrival.topic else "other"].append(round(cosine, 4))
        results[mode] = {
            key: {
                "n": len(values),
                "s1": round(sum(a for a, _ in values) / len(values), 3),
                "s5": round(sum(b for _, b in values) / len(values), 3),
            }
            for key, values in sorted(hits.items())
        }
    results["cosines"] = cosines
    results["misses"] = misses  # the last mode's arrivals not in its top 5
    return results


def threshold_report(cosines: dict[str, list[float]]) -> list[str]:
    """How well each cosine threshold tells a true match from another claim among the top 5."""
    lines: list[str] = []
    match, other = cosines["match"], cosines["other"]
    if not match or not other:
        return lines
    for threshold in (0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75):
        recall = sum(c >= threshold for c in match) / len(match)
        false = sum(c >= threshold for c in other)
        precision = sum(c >= threshold for c in match) / max(1, sum(c >= threshold for c in match) + false)
        lines.append(f"  cosine ≥ {threshold:.2f}: recall of true matches {recall:.2f}, precision {precision:.2f}")
    return lines


def table(results: dict, modes: tuple[str, ...]) -> list[str]:
    keys = [k for k in results[modes[0]] if k]
    width = max(len(k) for k in keys) + 2
    head = f"{'':<{width}}" + "".join(f"{m + ' @1':>14}{m + ' @5':>14}" for m in modes) + f"{'n':>6}"
    lines = [head]
    for key in keys:
        row = results[modes[0]][key]
        lines.append(
            f"{key:<{width}}"
            + "".join(f"{results[m][key]['s1']:>14.3f}{results[m][key]['s5']:>14.3f}" for m in modes)
            + f"{row['n']:>6}"
        )
    return lines
