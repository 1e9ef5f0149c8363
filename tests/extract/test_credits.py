from __future__ import annotations

import pytest

from scraper.extract.credits import (
    clean_credited_name,
    extract_credits,
    match_credit_line,
    match_held_credit,
    match_inline_credit,
)
from scraper.extract.post import extract_post
from tests.extract.pages import BLOCK_URL, BLOGGER_URL, CLASSIC_URL, HER_URL, load

POSTER = "https://cinephilenotebook.files.wordpress.com/2014/01/her-poster.jpg"


def _credits(name: str, url: str):
    soup = load(name)
    return extract_credits(soup, url, extract_post(soup, url))


def test_her_poster_credit_with_link_and_poster_image():
    credits = _credits("wpcom-her-2013.html", HER_URL)
    assert len(credits) == 1  # not the related post's "poster designed by …" excerpt
    credit = credits[0]
    assert credit.text == "poster designed by hai-fuh-ku"
    assert credit.name == "hai-fuh-ku"
    assert credit.url == "http://hai-fuh-ku.tumblr.com/"
    assert credit.role == "poster"
    assert credit.place == "paragraph"
    assert credit.image_url is not None and credit.image_url.startswith(POSTER)


def test_caption_keeps_only_the_credit_part_and_its_image():
    credits = _credits("classic-caption-credits.html", CLASSIC_URL)
    assert [c.text for c in credits] == ["Photo: Ana Ribeiro (CC BY 2.0)"]
    assert credits[0].name == "Ana Ribeiro"
    assert credits[0].place == "caption"
    image_url = credits[0].image_url
    assert image_url is not None and image_url.endswith("tram-28-1024x683.jpg")


def test_text_and_source_lines_comments_sidebars_and_author_boxes_are_not_credits():
    texts = " ".join(c.text for c in _credits("classic-caption-credits.html", CLASSIC_URL))
    for not_a_credit in ("Text:", "Quelle:", "Pedro", "Luis Mendes", "her own"):
        assert not_a_credit not in texts


def test_block_theme_captions_and_paragraph_credits_in_document_order():
    credits = _credits("block-theme-credits.html", BLOCK_URL)
    assert [(c.text, c.name, c.role, c.place) for c in credits] == [
        ("Bild: Concorde Filmverleih", "Concorde Filmverleih", "image", "caption"),
        ("© Tomás Pereira", "Tomás Pereira", "copyright", "caption"),
        ("Buchcover: Hanser Verlag", "Hanser Verlag", "cover", "paragraph"),
    ]
    assert [c.position for c in credits] == [0, 1, 2]
    assert credits[0].image_url is not None and credits[0].image_url.endswith("nachtzug-plakat.jpg")


def test_non_wordpress_page_gives_no_credits():
    assert _credits("blogger-photo-caption.html", BLOGGER_URL) == ()


# Each line is a whole credit, so the credit text is the line itself.
@pytest.mark.parametrize(
    ("line", "name", "role"),
    [
        ("Poster by Akiko Stehrenberger", "Akiko Stehrenberger", "poster"),
        ("Poster art: Kilian Eng", "Kilian Eng", "poster"),
        ("Artwork by Jane Roe", "Jane Roe", "artwork"),
        ("Image credit: NASA", "NASA", "image"),
        ("Photo by Jo Lee on Unsplash", "Jo Lee", "photo"),
        ("Foto: Pixabay.com / irfanahmad", "irfanahmad", "photo"),
        ("Bildnachweis: Quelle, cc-Lizenz", None, "image"),
        ("Abb.: Collage aus Internetbildern und Wake News", "Wake News", "image"),
        ("Titelbild: Fachy Marín on Unsplash", "Fachy Marín", "image"),
        ("Image via Wikimedia Commons", "Wikimedia Commons", "image"),
        ("Courtesy of Warner Bros.", "Warner Bros", "courtesy"),
        ("Crédit photo : Marie Dupont", "Marie Dupont", "photo"),
        ("Foto © Max Muster", "Max Muster", "photo"),
        ("Photographer: Jo Lee", "Jo Lee", "photo"),
        ("Fotografía: Ana López", "Ana López", "photo"),
        ("Ilustración: Pablo Ruiz", "Pablo Ruiz", "artwork"),
        ("Cartel: Pablo Ruiz", "Pablo Ruiz", "poster"),
        ("Portada: Editorial Anagrama", "Editorial Anagrama", "cover"),
        ("Screenshot: YouTube", "YouTube", "image"),
        ("Capture d’écran : YouTube", "YouTube", "image"),
        ("Affiche : Studio Lumière", "Studio Lumière", "poster"),
        ("Photo by the author", "the author", "photo"),
    ],
)
def test_credit_phrasings(line, name, role):
    found = match_credit_line(line)
    assert found is not None
    assert (found.text, found.name, found.role) == (line, name, role)


@pytest.mark.parametrize(
    "line",
    [
        "Interview: Jens Bergmann",
        "Text: Maria Costa",
        "Quelle: https://example.org/",
        "We saw the poster in the cinema lobby and liked it.",
        "",
    ],
)
def test_lines_that_are_not_credits(line):
    assert match_credit_line(line) is None


def test_caption_credit_after_a_description():
    caption = "Was zeichnet Tweets aus? (Foto: Pixabay.com / irfanahmad)"
    found = match_credit_line(caption, in_caption=True)
    assert found is not None
    assert found.text == "Foto: Pixabay.com / irfanahmad"


def test_licence_is_not_part_of_the_name():
    assert clean_credited_name("Mihael Simonic CC BY-SA 3.0") == "Mihael Simonic"


def test_page_without_post_gives_no_credits():
    from scraper.extract.parse import parse_page

    soup = parse_page("<p>Photo: Someone</p>")
    assert extract_credits(soup, "https://example.org/", None) == ()


@pytest.mark.parametrize(
    ("line", "name", "role"),
    [
        ("Key art by Mateus Rocha for A24", "Mateus Rocha", "poster"),
        ("Poster illustration — Ingrid Solberg", "Ingrid Solberg", "poster"),
        ("Plakatmotiv: Ama Owusu", "Ama Owusu", "poster"),
    ],
)
def test_more_credit_labels_and_separators(line, name, role):
    found = match_credit_line(line)
    assert found is not None
    assert (found.text, found.name, found.role) == (line, name, role)


@pytest.mark.parametrize(
    "line",
    ["Poster — a great one, really.", "Art — the thing we love most", "Poster — x y z w v u t"],
)
def test_dash_needs_a_name_after_it(line):
    assert match_credit_line(line) is None


def test_courtesy_credit_inside_a_sentence():
    found = match_inline_credit("The poster, courtesy of Studio Pällo, is one of the best.")
    assert found is not None
    assert (found.text, found.name, found.role) == (
        "courtesy of Studio Pällo", "Studio Pällo", "poster",
    )
    assert match_inline_credit("We got in courtesy of my sister, who works there.") is None


def test_credits_in_list_sentence_and_closing_line_of_a_twentytwentyone_post():
    url = "https://movingpictures.example.net/2022/08/06/nope-2022/"
    credits = _credits("twentytwentyone-author-bio-credits.html", url)
    assert [(c.text, c.name, c.url) for c in credits] == [
        ("courtesy of Studio Pällo", "Studio Pällo", "https://studio-pallo.example/"),
        ("Poster illustration — Ingrid Solberg", "Ingrid Solberg", "https://ingrid.example/"),
        ("Key art by Mateus Rocha for A24", "Mateus Rocha", "https://mateus.example/"),
    ]


def test_password_protected_post_has_no_credits():
    url = "https://leinwandnotizen.example.de/2024/03/09/nur-fuer-mitglieder/"
    assert _credits("block-theme-password-protected.html", url) == ()


# The phrasings of issue 15 (English, German, French, Spanish): (line, credit text, name, role).
@pytest.mark.parametrize(
    ("line", "text", "name", "role"),
    [
        ("Anna Schmidt / pixelio.de", "Anna Schmidt / pixelio.de", "Anna Schmidt", "image"),
        ("Getty Images", "Getty Images", "Getty Images", "image"),
        ("Image courtesy of Studio Ghibli.", "Image courtesy of Studio Ghibli.", "Studio Ghibli",
         "courtesy"),
        ("Image by Jane Doe, CC BY-SA 4.0", "Image by Jane Doe, CC BY-SA 4.0", "Jane Doe", "image"),
        ("Foto: CC-BY-NC 2.0 Max Muster", "Foto: CC-BY-NC 2.0 Max Muster", "Max Muster", "photo"),
        ("Beitragsbild: Max Muster via Wikimedia Commons",
         "Beitragsbild: Max Muster via Wikimedia Commons", "Max Muster", "image"),
        ("Credit: Jane Doe", "Credit: Jane Doe", "Jane Doe", "image"),
        ("Alle Fotos: Max Muster", "Alle Fotos: Max Muster", "Max Muster", "photo"),
        ("Cover: Jane Doe (Penguin, 2018)", "Cover: Jane Doe (Penguin, 2018)", "Jane Doe", "cover"),
        ("Imagen: Juan Pérez", "Imagen: Juan Pérez", "Juan Pérez", "image"),
        ("Fuente de la imagen: Juan Pérez", "Fuente de la imagen: Juan Pérez", "Juan Pérez",
         "image"),
        ("Illustration par Jean Dupont", "Illustration par Jean Dupont", "Jean Dupont", "artwork"),
        ("Foto por Juan Pérez", "Foto por Juan Pérez", "Juan Pérez", "photo"),
        ("© Rainer Sturm / pixelio.de", "© Rainer Sturm / pixelio.de", "Rainer Sturm", "image"),
        ("© Max Muster - Fotolia.com", "© Max Muster - Fotolia.com", "Max Muster", "image"),
        ("| Photo by Jane Doe |", "Photo by Jane Doe", "Jane Doe", "photo"),
        ("Alle Bilder: Max Muster", "Alle Bilder: Max Muster", "Max Muster", "image"),
        ("Foto/Grafik: Max Muster", "Foto/Grafik: Max Muster", "Max Muster", "photo"),
        ("Text und Fotos: Max Muster", "Fotos: Max Muster", "Max Muster", "photo"),
        ("© Photo : Marie Dupont", "Photo : Marie Dupont", "Marie Dupont", "photo"),
        ("Imagen vía Wikimedia Commons", "Imagen vía Wikimedia Commons", "Wikimedia Commons",
         "image"),
        ("Die Fotos wurden uns freundlicherweise von der Stadt Wien zur Verfügung gestellt.",
         "Die Fotos wurden uns freundlicherweise von der Stadt Wien zur Verfügung gestellt",
         "Stadt Wien", "courtesy"),
    ],
)
def test_multilingual_credit_grammar(line, text, name, role):
    found = match_credit_line(line) or match_inline_credit(line)
    assert found is not None
    assert (found.text, found.name, found.role) == (text, name, role)


def test_credit_between_bars_ends_at_the_next_bar():
    found = match_credit_line("Sunset over the bay | Photo by Jane Doe | Berlin", in_caption=True)
    assert found is not None
    assert (found.text, found.name) == ("Photo by Jane Doe", "Jane Doe")


def test_agency_and_person_at_the_end_of_a_caption():
    found = match_credit_line("A tram in Lisbon. Getty Images/Jane Doe", in_caption=True)
    assert found is not None
    assert (found.text, found.name) == ("Getty Images/Jane Doe", "Jane Doe")


def test_german_sentence_that_credits_the_pictures():
    found = match_inline_credit("Das Bildmaterial wurde von Max Muster zur Verfügung gestellt.")
    assert found is not None
    assert found.name == "Max Muster"


@pytest.mark.parametrize(
    ("line", "in_caption"),
    [
        ("This image is licensed under CC BY-SA 4.0.", False),
        ("Image: CC BY-SA 4.0", False),
        ("Lizenz: CC BY-SA 4.0", False),
        ("Shares fell, according to Reuters.", True),
        ("We met Getty Images staff in London", False),
        ("Photo of the week: the harbour at dawn", False),
        ("Photo of the week: the harbour at dawn", True),
        ("Photos by the lake were lovely and warm", False),
        ("The photographer Annie Leibovitz once shot a cover here.", False),
        ("Der Politiker auf Instagram (Screenshot)", True),
        ("Wir gingen los - Bild: war schön", False),
        ("Bild: CC BY-SA 4.0", True),
    ],
)
def test_lines_that_only_look_like_credits_credit_nobody(line, in_caption):
    assert match_credit_line(line, in_caption=in_caption) is None
    assert match_inline_credit(line) is None


MARKUP_URL = "https://harbourlog.example/2024/02/03/harbour-mornings/"


@pytest.mark.parametrize(
    ("page", "url", "expected"),
    [
        # The phrasings issue 15 lists, a licence sentence and an agency in a sentence.
        ("themes/credit_phrasings.html", "https://stadtgruen.example/baeume/", [
            ("Anna Schmidt / pixelio.de", "Anna Schmidt", "image", "caption"),
            ("Photo by Jane Doe", "Jane Doe", "photo", "caption"),
            ("Foto: CC-BY-NC 2.0 Max Muster", "Max Muster", "photo", "paragraph"),
            ("Beitragsbild: Max Muster via Wikimedia Commons", "Max Muster", "image",
             "paragraph"),
        ]),
        # Theme caption markup, the Media Credit span, lookalike lines and a cast list.
        ("themes/credit_markup.html", MARKUP_URL, [
            ("Photo: Twitter", "Twitter", "photo", "caption"),
            ("Instagram (Screenshot)", "Instagram", "image", "caption"),
            ("Jane Doe/Harbour Agency via Getty Images", "Jane Doe/Harbour Agency", "image",
             "caption"),
            ("Photo © Claire Martin", "Claire Martin", "photo", "caption"),
            ("Foto: Lena Berg (SC Oberstdorf)", "Lena Berg", "photo", "caption"),
            ("Crédito de la foto: Lucía Gómez", "Lucía Gómez", "image", "paragraph"),
            ("Foto: Copyright © Marek Nowak | CC-BY-SA", "Marek Nowak", "photo", "paragraph"),
        ]),
    ],
)
def test_every_credit_of_a_page_in_document_order_and_no_invented_one(page, url, expected):
    credits = _credits(page, url)
    assert [(c.text, c.name, c.role, c.place) for c in credits] == expected


def test_caption_credit_credits_the_image_of_its_figure():
    credits = _credits("themes/credit_phrasings.html", "https://stadtgruen.example/baeume/")
    assert credits[0].image_url is not None and credits[0].image_url.endswith("linde.jpg")


def test_inline_caption_span_beside_the_image_credits_that_image():
    credits = _credits("themes/credit_markup.html", MARKUP_URL)
    image_url = credits[0].image_url
    assert image_url is not None and image_url.endswith("/vans.jpg")
    held = credits[2].image_url
    assert held is not None and held.endswith("/pier.jpg")


def test_credit_after_a_title_on_the_line_keeps_the_link_of_the_name():
    credits = _credits("themes/credit_markup.html", MARKUP_URL)
    assert credits[-1].url == "https://www.flickr.com/photos/marek/"


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Jure Makovec (OC Ljubno)", "Jure Makovec"),
        ("Copyright © Marufish | CC-BY-SA", "Marufish"),
        ("(c) 2019 Jane Doe", "Jane Doe"),
        ("Murat Kula/Anadolu Agency via Getty Images", "Murat Kula/Anadolu Agency"),
        ("Lachlan Cunningham/Getty Images", "Lachlan Cunningham"),
        ("© Max Muster – stock.adobe.com", "Max Muster"),
        ("Wikimedia Commons, Max Muster, CC BY-SA 4.0", "Max Muster"),
        ("Flickr user Jane Doe", "Jane Doe"),
        ("NASA/JPL-Caltech", "NASA/JPL-Caltech"),
    ],
)
def test_affiliation_copyright_sign_licence_and_agency_stay_out_of_the_name(raw, name):
    assert clean_credited_name(raw) == name


def test_a_credit_element_holds_a_name_not_a_sentence():
    found = match_held_credit("Jane Doe/Reuters")
    assert found is not None and (found.text, found.name) == ("Jane Doe/Reuters", "Jane Doe")
    assert match_held_credit("thanks to everyone who sent us pictures this week!") is None
    assert match_held_credit("Privat") is None


@pytest.mark.parametrize(
    "line",
    [
        "Text: Maria Costa",
        "Text und Idee: Maria Costa",
        "© 2024 Harbour Log",
        "Source: Wikipedia",
    ],
)
def test_text_credits_and_bare_copyright_notices_are_not_picture_credits(line):
    assert match_credit_line(line) is None
