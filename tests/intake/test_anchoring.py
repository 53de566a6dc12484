"""The anchoring service: TextQuoteSelector (exact + shortest unique prefix/suffix) and
TextPositionSelector (start, end), with whitespace, quote-style and Unicode variants."""

import unicodedata

import pytest

from claims.intake.anchoring import (
    PASSAGE_AMBIGUOUS,
    PASSAGE_NOT_FOUND,
    Anchor,
    AnchorError,
    anchor_in_text,
    utf16_to_index,
    verify_stored,
)

TEXT = "The cat sat. A dog ran. The cat sat on the mat. The end."


def test_a_unique_passage_needs_no_context_and_gets_its_position():
    anchor = anchor_in_text(TEXT, "A dog ran.")
    assert anchor == Anchor(exact="A dog ran.", prefix="", suffix="", start=13, end=23)
    assert TEXT[anchor.start : anchor.end] == anchor.exact


def test_a_repeated_passage_is_refused_without_context():
    with pytest.raises(AnchorError) as info:
        anchor_in_text(TEXT, "The cat sat")
    assert info.value.messages == [PASSAGE_AMBIGUOUS.format(count=2)]


def test_context_chooses_the_occurrence_even_typed_with_other_whitespace():
    anchor = anchor_in_text(TEXT, "The cat sat", suffix="  on\nthe")
    assert (anchor.start, anchor.end) == (24, 35)
    # The typed suffix is not verbatim, so the anchor gets the shortest context that is unique.
    assert (anchor.prefix, anchor.suffix) == (" ", " ")


def test_a_selections_position_chooses_the_occurrence_and_the_shortest_context_is_computed():
    anchor = anchor_in_text(TEXT, "The cat sat", position=24)
    assert (anchor.start, anchor.end) == (24, 35)
    # Grown together until " The cat sat " occurs once: one character either side suffices.
    assert (anchor.prefix, anchor.suffix) == (" ", " ")
    assert TEXT.count(anchor.prefix + anchor.exact + anchor.suffix) == 1


def test_verbatim_context_that_makes_it_unique_is_kept_as_given():
    anchor = anchor_in_text(TEXT, "The cat sat", prefix="A dog ran. ", suffix=" on the mat")
    assert (anchor.prefix, anchor.suffix) == ("A dog ran. ", " on the mat")


def test_whitespace_variants_anchor_to_the_sources_own_span():
    text = "Pashinyan’s office later\u00a0recanted\nhis statement."
    anchor = anchor_in_text(text, "Pashinyan’s office later recanted his statement")
    assert anchor.exact == "Pashinyan’s office later\u00a0recanted\nhis statement"
    assert (anchor.start, anchor.end) == (0, len(anchor.exact))


def test_quote_style_variants_anchor_to_the_sources_own_span():
    text = "adding that “There is no doubt that Russian weapons are one of the best”. Then"
    anchor = anchor_in_text(text, '"There is no doubt that Russian weapons are one of the best"')
    assert anchor.exact == "“There is no doubt that Russian weapons are one of the best”"


def test_nfd_and_nfc_forms_match_each_other():
    text = unicodedata.normalize("NFC", "Le café de la gare. Fin.")
    passage = unicodedata.normalize("NFD", "café de la gare")
    assert passage != "café de la gare"
    anchor = anchor_in_text(text, passage)
    assert anchor.exact == "café de la gare"


def test_a_passage_absent_from_the_source_is_refused():
    with pytest.raises(AnchorError) as info:
        anchor_in_text(TEXT, "The cat stood", snapshot_label="7")
    assert info.value.messages == [PASSAGE_NOT_FOUND.format(snapshot="7")]


def test_a_different_word_is_not_a_variant():
    with pytest.raises(AnchorError):
        anchor_in_text("only ten per cent of the missiles exploded", "only 10 per cent of the missiles exploded")


def test_armenian_text_anchors_with_context():
    text = "Վարչապետը հայտարարեց. «Իսկանդերը կիրառվել է»։ Նախարարը հայտարարեց. «Իսկանդերը կիրառվել է»։"
    with pytest.raises(AnchorError):
        anchor_in_text(text, "«Իսկանդերը կիրառվել է»")
    anchor = anchor_in_text(text, "«Իսկանդերը կիրառվել է»", prefix="Նախարարը հայտարարեց. ")
    assert anchor.start == text.rindex("«")
    assert text.count(anchor.prefix + anchor.exact + anchor.suffix) == 1


def test_russian_text_with_a_decomposed_letter_and_guillemets():
    text = "Министерство обороны России заявило: «Искандер не применялся». Это важно."
    typed = unicodedata.normalize("NFD", 'заявило: "Искандер не применялся"')  # й decomposed, straight quotes
    anchor = anchor_in_text(text, typed)
    assert anchor.exact == "заявило: «Искандер не применялся»"
    assert text[anchor.start : anchor.end] == anchor.exact


def test_a_stored_anchor_verifies_only_where_it_still_holds():
    anchor = anchor_in_text(TEXT, "A dog ran.")
    assert verify_stored(TEXT, anchor)
    assert not verify_stored(TEXT.replace("dog", "cow"), anchor)
    assert not verify_stored(TEXT, Anchor(exact="A dog ran.", prefix="x", suffix="", start=13, end=23))


def test_browser_offsets_in_utf16_become_code_point_indexes():
    text = "a😀b the passage"
    assert utf16_to_index(text, 4) == 3  # the emoji is two UTF-16 units, one code point
    assert text[utf16_to_index(text, 5) :] == "the passage"
