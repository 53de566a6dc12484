"""Type names shared by services, selectors and querysets."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser

# The acting user of a write: a desk member (the project uses Django's user model).
User: TypeAlias = AuthUser
# Whoever reads: a desk member, an API consumer with a token, or an anonymous reader.
Reader: TypeAlias = AuthUser | AnonymousUser
