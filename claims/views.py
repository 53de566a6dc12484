from django.shortcuts import get_object_or_404, render

from .models import Claim, Claimant


def claim_detail(request, slug):
    # Placeholder until the public pages land (issue 4): published claims only.
    claim = get_object_or_404(Claim.objects.published().select_related("claimant"), slug=slug)
    return render(request, "claims/placeholder.html", {"object": claim})


def claimant_detail(request, slug):
    claimant = get_object_or_404(Claimant, slug=slug)
    return render(request, "claims/placeholder.html", {"object": claimant})
