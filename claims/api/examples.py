"""OpenAPI examples: the article's claim by Nikol Pashinyan as the API serves it (tests check that the
examples still match what the API returns for the demo data, apart from the host and the times)."""

from typing import Any

EXAMPLE_SITE = "https://checks.example.org"

CLAIM: dict[str, Any] = {
    "id": 2,
    "slug": "pashinyan-only-ten-per-cent-of-iskander-missiles-exploded",
    "url": "https://checks.example.org/claims/pashinyan-only-ten-per-cent-of-iskander-missiles-exploded/",
    "text": "Pashinyan admitted the use of Iskander but regretted that only ten per cent of the missiles exploded",
    "claim_reviewed": "Iskander was used in the war and only 10% of the missiles exploded",
    "language": "en",
    "stated_on": "2021-02-23",
    "stated_on_precision": "day",
    "claimant": {
        "id": 2,
        "slug": "nikol-pashinyan",
        "name": "Nikol Pashinyan",
        "kind": "person",
        "role": "Prime Minister of Armenia",
    },
    "appeared_in": {
        "id": 1,
        "title": "Iskander-M mystery looms over Russia-Azerbaijan relations – OPINION",
        "url": "",
        "publisher": "Eurasia Review",
        "author": "Vasif Huseynov",
        "kind": "opinion",
        "language": "en",
    },
    "status": "published",
    "version": 1,
    "verdict": {
        "id": 2,
        "rating": {"id": 3, "slug": "retracted-by-claimant", "label": "Retracted by the claimant", "value": 3},
        "headline": "Retracted by his office, which said the prime minister had been misinformed",
        "rationale": "Pashinyan made the statement on 23 February 2021 while answering accusations by "
        "former president Serzh Sargsyan. His office later recanted it, saying the Prime "
        "Minister had been misinformed and adding that “There is no doubt that Russian "
        "weapons are one of the best in the world”. The source gives no figures that would "
        "confirm or refute the ten per cent, so we rate the retraction, not the "
        "performance of the missiles.",
        "published_at": "2026-11-20T10:30:00+00:00",
        "updated_at": "2026-11-20T10:30:00+00:00",
        "version": 1,
        "language": "en",
    },
    # Other fact-checkers' reviews of the same claim that the desk confirmed (issue 13): none here.
    "other_fact_checks": [],
}

# The demo's published translations of the verdict (issue 21), as the claim lists them.
TRANSLATIONS: list[dict[str, Any]] = [
    {
        "language": "az",
        "translated_from": "en",
        "headline": "Ofisi tərəfindən geri götürülüb: ofis baş nazirin yanlış məlumatlandırıldığını bildirib",
        "rationale": "Paşinyan bu bəyanatı 2021-ci il fevralın 23-də sabiq prezident Serj Sarkisyanın ittihamlarına "
        "cavab verərkən səsləndirib. Sonradan onun ofisi bəyanatdan imtina edərək baş nazirin yanlış "
        "məlumatlandırıldığını bildirib və əlavə edib: “Rusiya silahlarının dünyanın ən yaxşılarından "
        "biri olduğuna şübhə yoxdur”. Mənbədə on faizi təsdiq və ya təkzib edəcək heç bir rəqəm yoxdur, "
        "ona görə də biz raketlərin effektivliyini deyil, bəyanatın geri götürülməsini qiymətləndiririk.",
        "public_notes": "",
        "rating_label": "Müəllif tərəfindən geri götürülüb",
        "url": f"{EXAMPLE_SITE}/az/claims/{CLAIM['slug']}/",
        "published_at": "2026-11-21T09:00:00+00:00",
        "verdict_version": 1,
    },
    {
        "language": "hy",
        "translated_from": "en",
        "headline": "Հետ է վերցվել նրա գրասենյակի կողմից, որը հայտնեց, որ վարչապետին ապատեղեկատվություն էին տրամադրել",
        "rationale": "Փաշինյանն այս հայտարարությունն արեց 2021 թվականի փետրվարի 23-ին՝ պատասխանելով նախկին նախագահ "
        "Սերժ Սարգսյանի մեղադրանքներին։ Ավելի ուշ նրա գրասենյակը հրաժարվեց հայտարարությունից՝ նշելով, որ"
        " վարչապետին ապատեղեկատվություն էին տրամադրել, և ավելացնելով․ «Կասկած չկա, որ ռուսական զենքն "
        "աշխարհում լավագույններից մեկն է»։ Աղբյուրը չի ներկայացնում թվեր, որոնք կհաստատեին կամ կհերքեին "
        "տասը տոկոսը, ուստի մենք գնահատում ենք հայտարարությունից հրաժարվելը, այլ ոչ թե հրթիռների "
        "արդյունավետությունը։",
        "public_notes": "",
        "rating_label": "Հետ է վերցվել հեղինակի կողմից",
        "url": f"{EXAMPLE_SITE}/hy/claims/{CLAIM['slug']}/",
        "published_at": "2026-11-21T09:00:00+00:00",
        "verdict_version": 1,
    },
    {
        "language": "ru",
        "translated_from": "en",
        "headline": "Отозвано его офисом, заявившим, что премьер-министра дезинформировали",
        "rationale": "Пашинян сделал это заявление 23 февраля 2021 года, отвечая на обвинения бывшего президента "
        "Сержа Саргсяна. Позднее его офис отказался от заявления, сообщив, что премьер-министра "
        "дезинформировали, и добавив: «Нет сомнений, что российское оружие — одно из лучших в мире». "
        "Источник не приводит данных, которые подтвердили бы или опровергли цифру в десять процентов, "
        "поэтому мы оцениваем отказ от заявления, а не эффективность ракет.",
        "public_notes": "",
        "rating_label": "Отозвано автором",
        "url": f"{EXAMPLE_SITE}/ru/claims/{CLAIM['slug']}/",
        "published_at": "2026-11-21T09:00:00+00:00",
        "verdict_version": 1,
    },
]
CLAIM["translations"] = TRANSLATIONS

CLAIM_REVIEW: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checks.example.org/claims/pashinyan-only-ten-per-cent-of-iskander-missiles-exploded/",
    "claimReviewed": "Iskander was used in the war and only 10% of the missiles exploded",
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Nikol Pashinyan", "jobTitle": "Prime Minister of Armenia"},
        "inLanguage": "en",
        "datePublished": "2021-02-23",
        "appearance": {
            "@type": "CreativeWork",
            "name": "Iskander-M mystery looms over Russia-Azerbaijan relations – OPINION",
            "author": {"@type": "Person", "name": "Vasif Huseynov"},
            "publisher": {"@type": "Organization", "name": "Eurasia Review"},
            "datePublished": "2021-04-24",
        },
        "firstAppearance": {
            "@type": "CreativeWork",
            "name": "Iskander-M mystery looms over Russia-Azerbaijan relations – OPINION",
            "author": {"@type": "Person", "name": "Vasif Huseynov"},
            "publisher": {"@type": "Organization", "name": "Eurasia Review"},
            "datePublished": "2021-04-24",
        },
    },
    "author": {"@type": "Organization", "name": "factcheck desk", "url": "https://checks.example.org/"},
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 3,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "Retracted by the claimant",
        "ratingExplanation": "Retracted by his office, which said the prime minister had been misinformed",
    },
    "datePublished": "2026-11-20",
    "inLanguage": "en",
}


def work_translation(translation: dict[str, Any]) -> dict[str, Any]:
    """The ClaimReview of one published translation, as listed under the original's `workTranslation`."""
    review = {key: value for key, value in CLAIM_REVIEW.items() if key != "workTranslation"}
    rating = {
        **review["reviewRating"],
        "alternateName": translation["rating_label"],
        "ratingExplanation": translation["headline"],
    }
    original = {"@type": "ClaimReview", "url": CLAIM_REVIEW["url"], "inLanguage": CLAIM_REVIEW["inLanguage"]}
    return {
        **review,
        "url": translation["url"],
        "reviewRating": rating,
        "datePublished": translation["published_at"][:10],
        "inLanguage": translation["language"],
        "translationOfWork": original,
    }


CLAIM_REVIEW["workTranslation"] = [work_translation(translation) for translation in TRANSLATIONS]
VERDICT = {"claim": CLAIM["id"], **CLAIM["verdict"]}

# Cursors are opaque signed tokens; these are shortened for the documentation.
FEED_PAGE = {
    "events": [
        {
            "cursor": "eyJpIjo0LCJ0IjoxNzk1NjExMjAwfQ:1vN…",
            "id": 4,
            "claim_id": CLAIM["id"],
            "kind": "published",
            "claim": CLAIM,
            "reason": "",
            "occurred_at": "2026-11-20T10:30:00Z",
        },
        {
            "cursor": "eyJpIjo1LCJ0IjoxNzk1NjExMjAwfQ:1vN…",
            "id": 5,
            "claim_id": 9,
            "kind": "withdrawn",
            "claim": None,
            "reason": "Withdrawn: the claim is out of scope for this desk.",
            "occurred_at": "2026-11-21T08:00:00Z",
        },
        {
            # Reopened for a correction: still public, as last published, with the notice (issue 14).
            "cursor": "eyJpIjo2LCJ0IjoxNzk1NjExMjAwfQ:1vN…",
            "id": 6,
            "claim_id": CLAIM["id"],
            "kind": "under_review",
            "claim": {
                **CLAIM,
                "under_review": {
                    "since": "2026-11-22T09:15:00+00:00",
                    "notice": "This fact-check is being reviewed for a correction since 22 November 2026.",
                },
            },
            "reason": "",
            "occurred_at": "2026-11-22T09:15:00Z",
        },
    ],
    "next": "eyJpIjo2LCJ0IjoxNzk1NjExMjAwfQ:1vN…",
    "has_more": False,
}
