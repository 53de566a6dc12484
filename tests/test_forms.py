"""The public filter form's plain select: escaped, keeps the reader's choice, labelled by id."""

from claims.site.forms import PlainSelect


def test_plain_select_escapes_labels_and_values_and_marks_the_selection():
    widget = PlainSelect(choices=[("", "Anyone"), ('a"<b', "</select><script>alert(1)</script>"), ("c", "C")])
    html = widget.render("claimant", 'a"<b', attrs={"id": "id_claimant"})
    assert html.startswith('<select id="id_claimant" name="claimant">')
    assert '<option value="a&quot;&lt;b" selected>&lt;/select&gt;&lt;script&gt;' in html
    assert '<option value="c">C</option>' in html
    assert "<script>" not in html


def test_plain_select_with_nothing_chosen_selects_the_empty_choice_as_django_does():
    html = PlainSelect(choices=[("", "Anyone"), ("c", "C")]).render("claimant", None)
    assert html.count(" selected") == 1
    assert '<option value="" selected>Anyone</option>' in html
