"""The tables `make bench` prints (benchmarks/scale.py): each size's rows, the growth between the
smallest and the largest size, and the ratios the targets name."""

from collections.abc import Sequence
from typing import Any

GROWTH_TARGET = 1.3
# Rendered, not read from the page cache: the cache is cleared before each round and every claim is
# asked once (up to 3,000 of them; at 1k, every published claim).
COLD_ROW = "/claims/<slug>/ 200 (uncached)"
SIMILAR_ROW = "/api/v1/claims/similar/?text=<ru>"
TIPS_ROW = "POST /api/v1/tips/"
CACHED_ROW = "/claims/<slug>/ 200 (cached)"
# The rows whose targets are a share of the trivial view's req/s: the trivial view is measured again
# beside each of their rounds (benchmarks/scale.py), as well as once as the table's first row.
RATIO_ROWS = (CACHED_ROW, TIPS_ROW)


def print_table(sizes: Sequence[tuple[str, int, int]], measured: dict[str, dict[str, Any]]) -> None:
    labels = [label for label, _, _ in sizes]
    names = list(measured[labels[0]]["rows"])
    trivial = {label: measured[label]["rows"]["trivial view (ceiling)"]["req_s"] for label in labels}
    print()
    for label, _, _ in sizes:
        info = measured[label]["meta"]["info"]
        print(f"## {label}: {info['claims']} claims ({info['published']} published), {info['events']} change events")
        print(f"| {'row':<44} | req/s | p50 ms | p99 ms | queries | slowest SQL ms | × trivial |")
        print(f"|{'-' * 46}|------:|-------:|-------:|--------:|---------------:|----------:|")
        for name in names:
            r = measured[label]["rows"][name]
            bad = "" if set(r["statuses"]) <= {200, 201, 304} else f" HTTP {r['statuses']}"
            print(
                f"| {name:<44} | {r['req_s']:>5} | {r['p50_ms']:>6} | {r['p99_ms']:>6} | {r['queries']:>7} | "
                f"{r['slowest_sql_ms']:>14} | {r['req_s'] / trivial[label]:>9.2f} |{bad}"
            )
        print()
    if len(labels) >= 2:
        small, large = labels[0], labels[-1]
        print(f"## growth {small} → {large} (req/s {small} ÷ req/s {large}; target ≤ {GROWTH_TARGET}×)")
        print(f"| {'row':<44} | req/s {small:>5} | req/s {large:>5} | growth | queries |")
        print(f"|{'-' * 46}|------------:|------------:|-------:|--------:|")
        for name in names:
            a, b = measured[small]["rows"][name], measured[large]["rows"][name]
            growth = a["req_s"] / b["req_s"] if b["req_s"] else float("inf")
            flag = "" if growth <= GROWTH_TARGET else " MISSED"
            same = "same" if a["queries"] == b["queries"] else f"{a['queries']} → {b['queries']}"
            print(f"| {name:<44} | {a['req_s']:>11} | {b['req_s']:>11} | {growth:>5.2f}× | {same:>7} |{flag}")
        print()
    for label in labels:
        rows_ = measured[label]["rows"]  # BENCH_ROWS may have left some rows out
        ok200 = rows_[CACHED_ROW]["req_s"] if CACHED_ROW in rows_ else 0
        if ok200 and {"/claims/<slug>/ 304", COLD_ROW} <= set(rows_):
            ok304 = rows_["/claims/<slug>/ 304"]["req_s"]
            # A request's cost is the inverse of its req/s: a 304 costs (200 req/s) ÷ (304 req/s) of a 200.
            print(
                f"{label}: a 304 costs {rows_[COLD_ROW]['req_s'] / ok304:.0%} of the uncached 200 (target ≤ 25 %) "
                f"and {ok200 / ok304:.0%} of the cached one"
            )
        for name, what in ((CACHED_ROW, "the cached claim page"), (TIPS_ROW, "POST /api/v1/tips/")):
            if name in rows_:
                row = rows_[name]
                beside = (
                    f", {row['ratio_beside']:.0%} of it measured beside each round" if "ratio_beside" in row else ""
                )
                print(
                    f"{label}: {what} reaches {row['req_s'] / trivial[label]:.0%} of the trivial view's req/s "
                    f"(the first row){beside} (target ≥ 50 %)"
                )
        if ok200 and all(f"/{lang}/claims/<slug>/ 200 (cached)" in rows_ for lang in ("ru", "az", "hy")):
            costs = {
                lang: ok200 / rows_[f"/{lang}/claims/<slug>/ 200 (cached)"]["req_s"] for lang in ("ru", "az", "hy")
            }
            languages = ", ".join(f"{lang} {cost:.2f}×" for lang, cost in costs.items())
            print(f"{label}: a cached claim page in another language costs {languages} the English one (target ≈ 1×)")
        for name, m in measured[label]["memory"].items():
            print(
                f"{label}: sync client {name}: peak {m['peak_rss_mb']} MB (target ≤ 120 MB), "
                f"{m['seconds']} s — {m['summary']}"
            )
        print(f"{label}: generator: {measured[label]['meta']['generator']}")
        print(f"{label}: RSS per web worker {measured[label]['web_worker_rss_mb']} MB (target ≤ 400 MB)")
    similar = {
        label: measured[label]["rows"][SIMILAR_ROW] for label in labels if SIMILAR_ROW in measured[label]["rows"]
    }
    if similar:
        print(
            "similar/ (a translation): p95 "
            + ", ".join(f"{label} {row['p95_ms']} ms" for label, row in similar.items())
            + " (target p95 ≤ 150 ms at 100k, growth ≤ 1.3×)"
        )
