"""ClaimReview the way real publishers write it: documents the import tests read."""

import json


def script(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def page(body: str, *, lang: str) -> bytes:
    return f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{body}</head><body></body></html>'.encode()


# English, one review, numbers on a 1–5 scale, itemReviewed with claimant and appearance.
ENGLISH_PAGE = page(
    script(
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://checks.example.org/2024/missiles#verdict",
            "claimReviewed": "Only 10% of the missiles exploded",
            "author": {"@type": "Organization", "name": "Checks Desk", "url": "https://checks.example.org/"},
            "datePublished": "2024-03-01T10:00:00Z",
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": "2",
                "bestRating": "5",
                "worstRating": "1",
                "alternateName": "Mostly false",
            },
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Person", "name": "A. Speaker"},
                "appearance": [{"@type": "CreativeWork", "url": "https://news.example.org/interview"}],
            },
        }
    ),
    lang="en",
)

# Spanish, a Yoast-style @graph: two reviews, the publisher referenced by @id, ratings as text only.
SPANISH_GRAPH_PAGE = page(
    script(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "Organization", "@id": "https://verifica.example.es/#org", "name": "Verifica"},
                {"@type": "WebPage", "@id": "https://verifica.example.es/a"},
                {
                    "@type": "ClaimReview",
                    "url": "https://verifica.example.es/a",
                    "inLanguage": "es",
                    "claimReviewed": "Los misiles no fueron utilizados",
                    "author": {"@id": "https://verifica.example.es/#org"},
                    "reviewRating": {"@type": "Rating", "alternateName": "Falso"},
                    "datePublished": "2024-02-10",
                    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Un portavoz"}},
                },
                {
                    "@type": ["ClaimReview"],
                    "url": "https://verifica.example.es/b",
                    "inLanguage": "es",
                    "claimReviewed": "Solo el 10 % explotó",
                    "author": {"@id": "https://verifica.example.es/#org"},
                    "reviewRating": {"@type": "Rating", "alternateName": "Engañoso"},
                },
            ],
        }
    ),
    lang="es",
)

# German, a top-level array, itemReviewed missing, 0–10 scale.
GERMAN_ARRAY_DOCUMENT = json.dumps(
    [
        {"@context": "https://schema.org", "@type": "WebSite", "name": "Faktencheck"},
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://fakten.example.de/iskander",
            "claimReviewed": "Die Raketen wurden nie eingesetzt",
            "inLanguage": "de",
            "author": {"@type": "Organization", "name": "Faktencheck"},
            "reviewRating": {"@type": "Rating", "ratingValue": 3, "bestRating": 10, "worstRating": 0},
            "datePublished": "2024-01-20",
        },
    ],
    ensure_ascii=False,
).encode()

# French, microdata, the rating in words only.
FRENCH_MICRODATA_PAGE = page(
    """<div itemscope itemtype="https://schema.org/ClaimReview">
      <link itemprop="url" href="https://verif.example.fr/iskander">
      <span itemprop="claimReviewed">Les missiles ont tous explosé</span>
      <div itemprop="author" itemscope itemtype="https://schema.org/Organization">
        <span itemprop="name">Vérif</span></div>
      <meta itemprop="datePublished" content="2024-04-05">
      <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
        <span itemprop="alternateName">Faux</span></div>
      <div itemprop="itemReviewed" itemscope itemtype="https://schema.org/Claim">
        <div itemprop="author" itemscope itemtype="https://schema.org/Person">
          <span itemprop="name">Un ministre</span></div>
      </div>
    </div>""",
    lang="fr",
)

# Armenian, RDFa, numbers on 1–5.
ARMENIAN_RDFA_PAGE = page(
    """<div vocab="https://schema.org/" typeof="ClaimReview">
      <link property="url" href="https://fip.example.am/iskander">
      <span property="claimReviewed">Իսկանդերները չեն պայթել</span>
      <div property="author" typeof="Organization"><span property="name">FIP</span></div>
      <meta property="datePublished" content="2021-02-25">
      <div property="reviewRating" typeof="Rating"><span property="alternateName">Մանիպուլյացիա</span>
        <meta property="ratingValue" content="2"><meta property="bestRating" content="5">
        <meta property="worstRating" content="1"></div>
      <div property="itemReviewed" typeof="Claim">
        <div property="author" typeof="Person"><span property="name">Նիկոլ Փաշինյան</span></div></div>
    </div>""",
    lang="hy",
)

# A Google-style DataFeed: DataFeedItems each holding a ClaimReview.
DATAFEED_DOCUMENT = json.dumps(
    {
        "@context": "http://schema.org",
        "@type": "DataFeed",
        "dateModified": "2024-05-01T00:00:00Z",
        "dataFeedElement": [
            {
                "@type": "DataFeedItem",
                "dateCreated": "2024-05-01T00:00:00Z",
                "item": [
                    {
                        "@context": "http://schema.org",
                        "@type": "ClaimReview",
                        "url": f"https://feed.example.net/checks/{n}",
                        "claimReviewed": f"Feed claim {n}",
                        "author": {"@type": "Organization", "name": "Feed Checkers"},
                        "reviewRating": {
                            "@type": "Rating",
                            "ratingValue": n,
                            "bestRating": 3,
                            "worstRating": 1,
                            "alternateName": ["False", "Mixed", "True"][n - 1],
                        },
                        "datePublished": "2024-05-01",
                        "inLanguage": "en",
                    }
                ],
            }
            for n in (1, 2, 3)
        ],
    }
).encode()

# Broken: one good review and four bad ones in the same document.
MIXED_BROKEN_DOCUMENT = json.dumps(
    {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "ClaimReview",
                "url": "https://mixed.example.com/good",
                "claimReviewed": "Fine",
                "author": {"name": "Mixed"},
                "reviewRating": {"alternateName": "True"},
            },
            {
                "@type": "ClaimReview",
                "url": "https://mixed.example.com/range",
                "claimReviewed": "Out of range",
                "author": {"name": "Mixed"},
                "reviewRating": {"ratingValue": 9, "bestRating": 5, "worstRating": 1},
            },
            {
                "@type": "ClaimReview",
                "url": "https://mixed.example.com/noclaim",
                "author": {"name": "Mixed"},
                "reviewRating": {"alternateName": "False"},
            },
            {
                "@type": "ClaimReview",
                "url": "https://mixed.example.com/date",
                "claimReviewed": "Bad date",
                "author": {"name": "Mixed"},
                "reviewRating": {"alternateName": "False"},
                "datePublished": "yesterday",
            },
            {
                "@type": "ClaimReview",
                "url": "not a url",
                "claimReviewed": "Bad URL",
                "author": {"name": "Mixed"},
                "reviewRating": {"alternateName": "False"},
            },
        ],
    }
).encode()

NOT_JSON = b'{"@context": "https://schema.org", "@type": "ClaimReview", '
NO_CLAIMREVIEW_PAGE = page(script({"@context": "https://schema.org", "@type": "NewsArticle"}), lang="en")
