"""Two gaps in Django's own admin for the desk's languages (issue 21), closed here.

- The related-object buttons put Django's translation of "Change selected %(model)s" (and its
  siblings) into a `title="…"` attribute unescaped; Django's Russian catalog quotes the model name
  with `"`, which ends the attribute (invalid HTML, broken tooltips). Our catalogs (LOCALE_PATHS
  come first) translate these four messages with «» instead; the other languages keep Django's
  wording.
- The autocomplete widget names its select2 translation from a table that lacks Armenian although
  Django ships select2's `hy.js`: without it the widget renders `lang="None"`.
"""

from django.contrib.admin import widgets
from django.utils.translation import gettext_noop

RELATED_WIDGET_TITLES = [
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
]

widgets.SELECT2_TRANSLATIONS.setdefault("hy", "hy")
