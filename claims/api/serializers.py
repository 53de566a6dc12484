"""API serializers. Read serializers of claims render `public_claim_representation` itself (the
declared fields only describe it for the OpenAPI schema), so a claim read from `/api/v1/claims/`
and one carried by a change-feed event are the same dict."""

from typing import Any

from rest_framework import serializers
from rest_framework.fields import Field

from claims.api.anchors import AnchorSerializer, evidence_anchor
from claims.feed.claimreview import claim_review_with_translations
from claims.feed.representations import claim_representation_for, source_representation, verdict_representation
from claims.models import ChangeEvent, Claim, Claimant, DatePrecision, Evidence, Rating, Source, Verdict
from claims.querysets import may_view_unpublished
from claims.services.editing import CLAIM_EDITABLE_FIELDS
from claims.services.errors import REASON_REQUIRED


class RatingSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field named like Field.label
    value = serializers.IntegerField()


class VerdictSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = RatingSummarySerializer(allow_null=True)
    headline = serializers.CharField()
    rationale = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ClaimantSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Claimant.Kind.choices)
    role = serializers.CharField()


class SourceSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    publisher = serializers.CharField()
    author = serializers.CharField()
    kind = serializers.ChoiceField(choices=Source.Kind.choices)


class OtherFactCheckSerializer(serializers.Serializer):
    publisher = serializers.CharField()
    url = serializers.URLField()
    claim_reviewed = serializers.CharField()
    textual_rating = serializers.CharField()
    normalized_score = serializers.FloatField(allow_null=True, help_text="0 worst – 1 best, where given.")
    date_published = serializers.DateField(allow_null=True)
    language = serializers.CharField()


class UnderReviewSerializer(serializers.Serializer):
    since = serializers.DateTimeField(help_text="When the fact-check was reopened for a correction.")
    notice = serializers.CharField(help_text="What readers are told, e.g. on the claim's page.")


class TranslationSummarySerializer(serializers.Serializer):
    language = serializers.CharField(help_text="BCP 47 tag of the translation.")
    translated_from = serializers.CharField(help_text="The language of the verdict it translates.")
    headline = serializers.CharField()
    rationale = serializers.CharField()
    public_notes = serializers.CharField()
    rating_label = serializers.CharField(help_text="The rating's label in the translation's language.")
    url = serializers.URLField(help_text="The page of this language version.")
    published_at = serializers.DateTimeField()
    verdict_version = serializers.IntegerField(allow_null=True, help_text="The verdict version it translates.")


class ClaimSerializer(serializers.Serializer):
    """A claim with its claimant, where it appeared and its current verdict (with rating)."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    url = serializers.URLField(help_text="The claim's public page.")
    text = serializers.CharField()
    claim_reviewed = serializers.CharField()
    language = serializers.CharField()
    stated_on = serializers.CharField(
        allow_null=True, help_text="ISO 8601 at its precision: 2021-02-23, 2020-11, 2021."
    )
    stated_on_precision = serializers.ChoiceField(choices=DatePrecision.choices, allow_null=True)
    claimant = ClaimantSummarySerializer()
    appeared_in = SourceSummarySerializer(allow_null=True)
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    version = serializers.IntegerField()
    verdict = VerdictSummarySerializer(allow_null=True)
    other_fact_checks = OtherFactCheckSerializer(many=True, help_text="Other fact-checkers' confirmed reviews.")
    translations = TranslationSummarySerializer(many=True, help_text="Published translations of the verdict.")
    under_review = UnderReviewSerializer(
        required=False,
        help_text="Present while the fact-check is reopened for a correction: every other field is then the "
        "version last published (the desk's draft edits are never shown) until it is republished.",
    )
    # The desk's own fields (issue 23): set with PATCH (If-Match, `assignee`/`due_on`/`reason`), read here.
    assignee = serializers.IntegerField(
        required=False, allow_null=True, help_text="Desk only: the user id of the desk member the claim is assigned to."
    )
    assignee_username = serializers.CharField(
        required=False, allow_null=True, help_text="Desk only: the assignee's username."
    )
    due_on = serializers.DateField(required=False, allow_null=True, help_text="Desk only: when the work is due.")

    def to_representation(self, instance: Claim) -> dict[str, Any]:
        request = self.context.get("request")
        desk = may_view_unpublished(getattr(request, "user", None))
        representation = claim_representation_for(instance, request, desk=desk)
        if desk:  # never in the public representation (nor in change-feed payloads)
            representation.update(claim_assignment(instance))
        return representation


def claim_assignment(claim: Claim) -> dict[str, Any]:
    """The desk's assignment fields; `api_claims` joins the assignee for desk users (no query per row)."""
    assignee = claim.assignee if claim.assignee_id else None
    return {
        "assignee": claim.assignee_id,
        "assignee_username": assignee.get_username() if assignee is not None else None,
        "due_on": claim.due_on.isoformat() if claim.due_on else None,
    }


class ClaimWriteSerializer(serializers.ModelSerializer):
    """Fields a reviewer may set on an unpublished claim, and the reason recorded in its history."""

    reason = serializers.CharField(write_only=True, help_text="Why: recorded in the claim's history.")

    class Meta:
        model = Claim
        fields = [*sorted(CLAIM_EDITABLE_FIELDS - {"internal_notes"}), "internal_notes", "reason"]
        # Anchors are compared character for character: never trimmed (a prefix may end in a space).
        extra_kwargs = {name: {"trim_whitespace": False} for name in ("quote_exact", "quote_prefix", "quote_suffix")}


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Claim.Status.choices)
    reason = serializers.CharField(help_text="Why: recorded in the claim's history.")
    public_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Public text: the correction note when republishing; the notice when withdrawing or archiving "
        "a published claim (readers then get 410 with it).",
    )


class VerdictSerializer(serializers.ModelSerializer):
    rating = RatingSummarySerializer(allow_null=True)

    class Meta:
        model = Verdict
        fields = ["id", "claim", "rating", "headline", "rationale", "published_at", "updated_at", "version"]

    def to_representation(self, instance: Verdict) -> dict[str, Any]:
        return {"claim": instance.claim_id, **verdict_representation(instance)}


class VerdictEditSerializer(serializers.Serializer):
    rating = serializers.SlugRelatedField(slug_field="slug", queryset=Rating.objects.all(), allow_null=True)
    headline = serializers.CharField(max_length=200, allow_blank=True)
    rationale = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(help_text="Why: recorded in the verdict's history.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("reason", "").strip():
            raise serializers.ValidationError({"reason": [REASON_REQUIRED]})
        return attrs


class VerdictDraftSerializer(VerdictEditSerializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())


class VerdictCorrectionSerializer(serializers.Serializer):
    rating = serializers.SlugRelatedField(slug_field="slug", queryset=Rating.objects.all())
    headline = serializers.CharField(max_length=200, allow_blank=True)
    rationale = serializers.CharField()
    public_reason = serializers.CharField(help_text="Why it was corrected: shown to readers and in the feed.")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Recorded in history; defaults to `public_reason`."
    )


class ClaimantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claimant
        fields = ["id", "slug", "name", "kind", "role", "affiliation", "country", "same_as"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "url",
            "publisher",
            "author",
            "published_on",
            "published_on_precision",
            "kind",
            "reliability",
            "archived_url",
            "language",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    source = SourceSummarySerializer(read_only=True)  # type: ignore[assignment]  # named like Field.source
    anchor = AnchorSerializer(
        read_only=True, help_text="Where the excerpt is in a capture of the source (`verified` false: not checked)."
    )

    class Meta:
        model = Evidence
        fields = ["id", "claim", "source", "excerpt", "stance", "note", "created_at", "anchor"]

    def to_representation(self, instance: Evidence) -> dict[str, Any]:
        return {
            "id": instance.id,
            "claim": instance.claim_id,
            "source": source_representation(instance.source),
            "excerpt": instance.excerpt,
            "stance": instance.stance,
            "note": instance.note,
            "created_at": serializers.DateTimeField().to_representation(instance.created_at),
            "anchor": evidence_anchor(instance),
        }


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "slug", "label", "value", "definition", "colour"]


class ChangeEventSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="Resume after this event with ?after=<cursor>.")
    id = serializers.IntegerField(help_text="The event's position in the feed.")
    claim_id = serializers.IntegerField(help_text="The claim's id, as in /api/v1/claims/.")
    kind = serializers.ChoiceField(
        choices=ChangeEvent.Kind.choices,
        help_text="`published` and `corrected`: upsert the claim. `under_review`: reopened for a correction, it "
        "stays public as last published (upsert it: `claim` carries that version and its `under_review` notice) "
        "until a `corrected` event republishes it. `translated`: a translation of the verdict was published or taken "
        "off (upsert the claim: its `translations` are current). `withdrawn`: delete it (the detail answers 410 "
        "with the notice).",
    )
    claim = ClaimSerializer(allow_null=True, help_text="The claim's public representation; null when withdrawn.")
    reason = serializers.CharField(help_text="Public reason (corrections, withdrawals).")
    language = serializers.CharField(
        help_text="BCP 47 tag the event concerns: the claim's language, or for `translated` the translation's."
    )
    occurred_at = serializers.DateTimeField()


class ChangeFeedPageSerializer(serializers.Serializer):
    events = ChangeEventSerializer(many=True)
    next = serializers.CharField(help_text="Poll again with ?after=<next>.")
    has_more = serializers.BooleanField(help_text="True when more events are waiting right now.")


class FeedHeadSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="The feed's current head: start polling here after a resync.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class PreconditionFailedSerializer(ErrorSerializer):
    current_version = serializers.IntegerField(required=False)


class CursorGoneSerializer(ErrorSerializer):
    resync = serializers.CharField(help_text="Re-read the published claims from here…")
    head = serializers.CharField(help_text="…then poll the feed from this cursor.")


class ClaimReviewSerializer(serializers.Serializer):
    """A schema.org ClaimReview (Google's fact-check profile), as the claim pages embed it."""

    def get_fields(self) -> dict[str, Field]:
        return {
            "@context": serializers.CharField(),
            "@type": serializers.CharField(),
            "url": serializers.URLField(),
            "claimReviewed": serializers.CharField(),
            "itemReviewed": serializers.DictField(),
            "author": serializers.DictField(),
            "reviewRating": serializers.DictField(),
            "datePublished": serializers.CharField(allow_null=True),
            "inLanguage": serializers.CharField(),
            "workTranslation": serializers.ListField(
                child=serializers.DictField(), required=False, help_text="One ClaimReview per published translation."
            ),
        }

    def to_representation(self, instance: Claim) -> dict[str, Any]:
        return claim_review_with_translations(
            instance, scale=self.context["scale"], request=self.context.get("request")
        )


class TokenSerializer(serializers.Serializer):
    expiry = serializers.DateTimeField(allow_null=True)
    token = serializers.CharField()


class WithdrawalNoticeSerializer(ErrorSerializer):
    """410 Gone for a withdrawn fact-check (claims.feed.representations.withdrawal_notice)."""

    claim_id = serializers.IntegerField()
    slug = serializers.CharField()
    url = serializers.URLField()
    claim_reviewed = serializers.CharField()
    kind = serializers.ChoiceField(choices=["withdrawn", "archived"])
    reason = serializers.CharField(help_text="Why it was withdrawn (public).")
    withdrawn_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    previous_rating = RatingSummarySerializer(allow_null=True, help_text="The rating readers had seen.")
    previous_headline = serializers.CharField()
