"""Run by `scale.py` after `generate_load`: ANALYZE, then print (JSON) what the load needs to ask for:
slugs, cursors, an admin session. Uses the same SECRET_KEY as the server, so cursors and the
session are valid there."""

import base64
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.test")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from claims.feed.cursors import encode_cursor  # noqa: E402
from claims.models import ChangeEvent, Claim, Claimant, ClaimRelation  # noqa: E402
from claims.site import views  # noqa: E402


def main() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        # Written out now, not by the checkpointer while the rows are being measured.
        cursor.execute("CHECKPOINT")
    published = Claim.objects.published()
    related = ClaimRelation.objects.filter(
        from_claim__in=published.values("pk"), to_claim__in=published.values("pk")
    ).values_list("from_claim__slug", flat=True)
    page_slug = (
        related.order_by("-from_claim_id").first() or published.order_by("-id").values_list("slug", flat=True)[0]
    )
    cold_slugs = list(published.order_by("-id").values_list("slug", flat=True)[:3000])
    prolific = Claimant.objects.annotate(n=Count("claims")).order_by("-n").values_list("slug", flat=True)[0]
    count = published.count()
    pages = max(1, -(-count // views.CLAIMS_PER_PAGE))
    pages = min(pages, getattr(views, "MAX_LIST_PAGES", pages))  # the list's pages stop at its cap
    ids = list(published.order_by("-id").values_list("id", flat=True)[:100])
    deep_cursor = base64.b64encode(urlencode({"p": str(ids[-1])}).encode()).decode()
    head = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    # Production settings require the second factor: the session is one that passed it (what
    # django_otp.login records), with a confirmed TOTP device.
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    print(
        json.dumps(
            {
                "published": count,
                "claims": Claim.objects.count(),
                "events": ChangeEvent.objects.count(),
                "claim_slug": page_slug,
                "claim_id": Claim.objects.get(slug=page_slug).pk,
                "cold_slugs": cold_slugs,
                "claimant_slug": prolific,
                "last_page": pages,
                "api_deep_cursor": deep_cursor,
                "feed_near_head": encode_cursor(max(0, head - 50)),
                "feed_start": encode_cursor(0),
                "session": session.session_key,
            }
        )
    )


if __name__ == "__main__":
    main()
