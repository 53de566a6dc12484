"""DRF's browsable API under the strict CSP.

DRF's templates carry a few fixed `style` attributes and a Pygments `<style>` block. Rather than
loosening `style-src` for the whole site (or copying DRF's templates), the browsable API's HTML
responses allow exactly those styles by hash (`'unsafe-hashes'` lets a hash match an attribute;
nothing else inline is allowed, and scripts stay `'self'` only).
"""

import base64
import hashlib
from collections.abc import Mapping
from typing import Any

from django.utils.html import conditional_escape
from rest_framework.renderers import BrowsableAPIRenderer

# The style attributes DRF's browsable-API templates render (base.html, horizontal fieldsets, filters).
DRF_STYLE_ATTRIBUTES = (
    "float: right; margin-right: 10px",
    "border-bottom: 1px solid #e5e5e5",
    "border-bottom: 0",
    "width: 350px",
    "float: right",
)


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


class CSPBrowsableAPIRenderer(BrowsableAPIRenderer):
    def get_context(
        self, data: object, accepted_media_type: str | None, renderer_context: Mapping[str, Any]
    ) -> dict[str, Any]:
        context = super().get_context(data, accepted_media_type, renderer_context)
        allowed = [csp_hash(style) for style in DRF_STYLE_ATTRIBUTES]
        if context.get("code_style"):
            allowed.append(csp_hash(str(conditional_escape(context["code_style"]))))
        response = renderer_context.get("response")
        if response is not None:
            response._csp_update = {"style-src": ["'unsafe-hashes'", *allowed]}
        return context
