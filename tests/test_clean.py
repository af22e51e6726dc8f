from store.ingest.clean import clean_article, paragraph_key


def test_repeated_paragraphs_keep_the_typographic_copy_in_place():
    raw = ("First 'quoted' words here.\n\nSecond paragraph.\n\n"
           "First \u2018quoted\u2019 words here.\n\nSecond paragraph.")
    assert clean_article(raw) == "First \u2018quoted\u2019 words here.\n\nSecond paragraph."


def test_copies_differing_in_dashes_and_mangled_characters_are_one():
    straight = paragraph_key("It's a - b [\u00bf] c")
    assert straight == paragraph_key("It\u2019s a \u2013 b [\u2026] c")


def test_boilerplate_separators_and_controls_are_dropped():
    raw = "Body\x1b[31m text.\r\n\r\n***\nRead more at Example.com\n\nWant more stories like this?"
    assert clean_article(raw) == "Body[31m text."


def test_white_space_is_normalised():
    assert clean_article("  a \u00a0 b\t c \n\n\n\n d\u200b ") == "a b c\n\nd"
