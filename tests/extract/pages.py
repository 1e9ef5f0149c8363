"""Load saved fixture pages the way the extractors see them."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from scraper.extract.parse import parse_page

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"

HER_URL = "https://cinephilenotebook.wordpress.com/2014/01/12/her-2013/"
CLASSIC_URL = "https://slowrails.example.org/2023/05/14/a-week-of-trams-in-lisbon/"
BLOCK_URL = "https://leinwandnotizen.example.de/nachtzug-nach-lissabon/"
BLOGGER_URL = "https://riverwalks.blogspot.com/2019/06/along-the-wye.html"


def load(name: str) -> BeautifulSoup:
    return parse_page((PAGES / name).read_bytes())
