"""The WXR export against the real WordPress fixture: element by element against core's own
export (``export_wp()``), then loaded into a second, empty WordPress whose crawl must give
back the original's archive."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from lxml import etree

from scraper.model.urls import blog_id_for
from tests.crawling import run_cli, run_scrapy_crawl
from tests.export.restored_wordpress import RestoredWordPress, install_settings
from tests.reader_text import reader_text
from tests.wordpress.wpsite import WordPressError, WordPressSite, WordPressStack

pytestmark = pytest.mark.wordpress

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
STRICT = etree.XMLParser(recover=False, resolve_entities=False, huge_tree=True)


@dataclass
class Exported:
    site: WordPressSite
    truth: dict[str, Any]
    archive: Path
    ours: Path  # our WXR
    core: Path  # core's export_wp() of the same blog


@pytest.fixture(scope="module")
def exported(wordpress_stack: WordPressStack, wordpress_site: WordPressSite,
             wordpress_truth: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
             ) -> Exported:
    folder = tmp_path_factory.mktemp("wxr")
    archive = folder / "blog.db"
    crawl = run_scrapy_crawl(wordpress_site.home_url, archive)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    export = run_cli("export", "wxr", "--archive", str(archive), "--output",
                     str(folder / "ours.xml"))
    assert export.returncode == 0, export.stderr
    core = subprocess_php(wordpress_stack, wordpress_site, "core_export.php")
    (folder / "core.xml").write_text(core)
    return Exported(wordpress_site, wordpress_truth, archive, folder / "ours.xml",
                    folder / "core.xml")


def subprocess_php(stack: WordPressStack, site: WordPressSite, script: str) -> str:
    here = Path(__file__).resolve().parent / "php"
    proc = subprocess.run(
        stack._php_cmd(str(here / script), error_log=stack.log_dir / "export-php-errors.log"),
        env=stack.php_env(site.base_url, site.theme), capture_output=True, text=True,
        timeout=120, check=False)
    if proc.returncode != 0:
        raise WordPressError(f"{script} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


def items(path: Path) -> dict[int, etree._Element]:
    """The posts of a WXR by id (attachments, pages and the rest left aside)."""
    root = etree.parse(str(path), STRICT).getroot()
    return {int(item.findtext(f"{WP}post_id")): item for item in root.iter("item")
            if item.findtext(f"{WP}post_type") == "post"}


def public(item: etree._Element) -> bool:
    """Published: the blog lists it (a password-protected post too, by its title)."""
    return item.findtext(f"{WP}status") == "publish"


def comments(item: etree._Element, approved_only: bool = False) -> list[etree._Element]:
    return [c for c in item.iter(f"{WP}comment")
            if not approved_only or c.findtext(f"{WP}comment_approved") == "1"]


def readable(html_text: str) -> str:
    """Text of HTML as a reader compares it: tags dropped, as WordPress renders it."""
    return reader_text(re.sub(r"<[^>]+>", " ", html_text))


def without(text: str, lines: list[str]) -> str:
    """``text`` without the credit ``lines``, nor the "Credits" heading over them at its end
    (the archive keeps credits apart from the body)."""
    for line in lines:
        text = text.replace(reader_text(line), " ")
    return " ".join(text.split()).removesuffix(" Credits")


def differences(label: str, ours: object, core: object) -> list[str]:
    return [] if ours == core else [f"{label}: ours {ours!r} != core {core!r}"]


def test_the_file_is_strict_xml_by_the_importers_rules(exported: Exported) -> None:
    raw = exported.ours.read_bytes()
    root = etree.fromstring(raw, STRICT)  # raises on anything a strict parser refuses
    assert b"<!DOCTYPE" not in raw
    assert root.tag == "rss" and root.findtext(f"channel/{WP}wxr_version") == "1.2"
    assert set(root.nsmap) >= {"wp", "content", "excerpt", "dc", "wfw"}
    for item in root.iter("item"):
        seen: set[str] = {"0"}
        for comment in comments(item):
            assert comment.findtext(f"{WP}comment_parent") in seen, "a reply before its parent"
            seen.add(comment.findtext(f"{WP}comment_id") or "")


def test_posts_match_cores_export_element_by_element(exported: Exported) -> None:
    ours, core = items(exported.ours), items(exported.core)
    rendered = {post["id"]: post["content_html"] for post in exported.truth["posts"]}
    credits = {post["id"]: [c["text"] for c in post["credits"]] for post in exported.truth["posts"]}
    expected = {wp_id for wp_id, item in core.items() if public(item)}
    assert set(ours) == expected, "not the public posts of core's export"
    found: list[str] = []
    for wp_id in sorted(expected):
        mine, theirs = ours[wp_id], core[wp_id]
        label = f"post {wp_id}"
        for name in ("post_date", "post_date_gmt", "post_modified_gmt", "post_name", "status",
                     "post_type"):
            found += differences(f"{label} {name}", mine.findtext(f"{WP}{name}"),
                                 theirs.findtext(f"{WP}{name}"))
        for name in ("link", "pubDate", CREATOR):
            found += differences(f"{label} {name}", mine.findtext(name), theirs.findtext(name))
        found += differences(f"{label} title", reader_text(mine.findtext("title")),
                             reader_text(theirs.findtext("title")))
        found += differences(f"{label} terms", _terms(mine), _terms(theirs))
        # Core exports the stored content, ours is what the blog showed: compare with the
        # same content as WordPress renders it (the_content, from the truth export). Ours
        # has the credit lines at the end (the archive keeps them apart): compare without.
        if rendered.get(wp_id) is not None:
            found += differences(
                f"{label} content",
                without(readable(mine.findtext(CONTENT) or ""), credits[wp_id]),
                without(readable(rendered[wp_id]), credits[wp_id]))
        found += _comment_differences(label, mine, theirs)
    assert not found, f"{len(found)} differences:\n" + "\n".join(found[:40])


def _terms(item: etree._Element) -> set[tuple[str, str, str]]:
    return {(c.get("domain") or "", c.get("nicename") or "", reader_text(c.text))
            for c in item.iter("category")}


def _comment_differences(label: str, mine: etree._Element, theirs: etree._Element) -> list[str]:
    ours = {c.findtext(f"{WP}comment_id"): c for c in comments(mine)}
    # A password-protected post's comments are not public (only its title is).
    core = {c.findtext(f"{WP}comment_id"): c for c in comments(theirs, approved_only=True)
            if not theirs.findtext(f"{WP}post_password")}
    found = differences(f"{label} comment ids", sorted(ours), sorted(core))
    for comment_id in sorted(set(ours) & set(core)):
        a, b = ours[comment_id], core[comment_id]
        for name in ("comment_parent", "comment_type", "comment_approved", "comment_author_url"):
            found += differences(f"{label} comment {comment_id} {name}",
                                 a.findtext(f"{WP}{name}") or "", b.findtext(f"{WP}{name}") or "")
        found += differences(f"{label} comment {comment_id} author",
                             reader_text(a.findtext(f"{WP}comment_author")),
                             reader_text(b.findtext(f"{WP}comment_author")))
        if b.findtext(f"{WP}comment_type") != "comment":
            # A theme shows a ping as its source's title and link: no date, no text.
            assert not a.findtext(f"{WP}comment_date_gmt") and not a.findtext(
                f"{WP}comment_content"), "a ping's date or text made up"
            continue
        found += differences(f"{label} comment {comment_id} date_gmt",
                             a.findtext(f"{WP}comment_date_gmt"),
                             b.findtext(f"{WP}comment_date_gmt"))
        found += differences(f"{label} comment {comment_id} content",
                             readable(a.findtext(f"{WP}comment_content") or ""),
                             readable(b.findtext(f"{WP}comment_content") or ""))
    return found


def test_authors_and_terms_match_cores_export(exported: Exported) -> None:
    def channel(path: Path) -> etree._Element:
        return etree.parse(str(path), STRICT).getroot().find("channel")

    ours, core = channel(exported.ours), channel(exported.core)

    def authors(root: etree._Element) -> dict[str, str]:
        return {a.findtext(f"{WP}author_login"): a.findtext(f"{WP}author_display_name")
                for a in root.iter(f"{WP}author")}

    def categories(root: etree._Element) -> dict[str, tuple[str, str]]:
        return {c.findtext(f"{WP}category_nicename"): (
            c.findtext(f"{WP}category_parent"), reader_text(c.findtext(f"{WP}cat_name")))
            for c in root.iter(f"{WP}category")}

    def tags(root: etree._Element) -> dict[str, str]:
        return {t.findtext(f"{WP}tag_slug"): reader_text(t.findtext(f"{WP}tag_name"))
                for t in root.iter(f"{WP}tag")}

    used = {(c.get("domain"), c.get("nicename")) for item in items(exported.core).values()
            if public(item) for c in item.iter("category")}
    posting = {item.findtext(CREATOR) for item in items(exported.core).values() if public(item)}
    assert authors(ours) == {login: name for login, name in authors(core).items()
                             if login in posting}
    assert categories(ours) == {slug: value for slug, value in categories(core).items()
                                if ("category", slug) in used}
    assert tags(ours) == {slug: name for slug, name in tags(core).items()
                          if ("post_tag", slug) in used}
    # Core writes a parent before its children; so do we.
    order = [c.findtext(f"{WP}category_nicename") for c in ours.iter(f"{WP}category")]
    for slug, (parent, _) in categories(ours).items():
        assert not parent or order.index(parent) < order.index(slug)


def test_what_the_crawl_cannot_know_is_left_empty(exported: Exported) -> None:
    root = etree.parse(str(exported.ours), STRICT).getroot()
    for name in ("author_email", "author_id"):
        assert {a.findtext(f"{WP}{name}") or "" for a in root.iter(f"{WP}author")} == {""}
    for name in ("comment_author_email", "comment_author_IP", "comment_user_id"):
        assert {c.findtext(f"{WP}{name}") or "" for c in root.iter(f"{WP}comment")} == {""}


# --- the restore -----------------------------------------------------------------------------


@dataclass
class Restored:
    original: sqlite3.Connection
    restored: sqlite3.Connection
    original_blog: str
    restored_blog: str
    summary: dict[str, int]


@pytest.fixture(scope="module")
def restored(exported: Exported, wordpress_stack: WordPressStack,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Restored]:
    """Our WXR loaded into an empty WordPress, crawled back into a second archive."""
    target = RestoredWordPress(wordpress_stack)
    target.reset()
    try:
        yield _restore(exported, target, tmp_path_factory)
    finally:
        target.remove()


def _restore(exported: Exported, target: RestoredWordPress,
             tmp_path_factory: pytest.TempPathFactory) -> Restored:
    target.php("restore_install.php",
               stdin=install_settings(exported.truth, exported.truth["blog"]["name"]))
    original = sqlite3.connect(exported.archive)
    original.row_factory = sqlite3.Row
    folder = exported.archive.parent
    files = {url: str(folder / path) for url, path in original.execute(
        "select url, local_path from media where local_path is not null")}
    (folder / "files.json").write_text(json.dumps(files))
    summary = json.loads(target.php("restore_load.php", str(exported.ours),
                                    str(folder / "files.json")))
    archive = tmp_path_factory.mktemp("restored") / "restored.db"
    with target.serving() as site:
        crawl = run_scrapy_crawl(site.home_url, archive, spider_args=("media=no", "warc=no"))
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    restored = sqlite3.connect(archive)
    restored.row_factory = sqlite3.Row
    return Restored(original, restored, blog_id_for(exported.site.home_url),
                    blog_id_for(site.home_url), summary)


def _posts(conn: sqlite3.Connection, blog: str) -> dict[int, tuple[Any, ...]]:
    rows = conn.execute(
        "select p.id, p.wp_id, p.title, p.published, p.published_local, p.modified,"
        " a.name as author, a.slug, p.body_text, p.featured_image_url, p.url"
        " from posts p left join authors a on a.id = p.author_id").fetchall()
    result = {}
    for row in rows:
        terms = sorted((t["taxonomy"], t["slug"], t["name"]) for t in conn.execute(
            "select t.taxonomy, t.slug, t.name from post_terms pt join terms t on t.id = pt.term_id"
            " where pt.post_id = ?", [row["id"]]))
        # The poster's caption is the attachment's, which the archive does not hold.
        credits = [(c["text"], c["name"], c["url"]) for c in conn.execute(
            "select text, name, url from credits where post_id = ?"
            " and place != 'featured-image-caption' order by position", [row["id"]])]
        result[row["wp_id"]] = (
            row["title"], row["published"], row["published_local"], row["modified"],
            row["author"], row["slug"], reader_text(row["body_text"]),
            urlsplit(row["featured_image_url"] or "").path, urlsplit(row["url"]).path,
            terms, credits)
    return result


def _comments(conn: sqlite3.Connection) -> dict[int, tuple[Any, ...]]:
    return {row["wp_id"]: (row["post"], row["parent"], row["type"], row["author_name"],
                           row["author_url"], row["published"], reader_text(row["text"]),
                           row["comment_page"], row["depth"])
            for row in conn.execute(
                "select c.wp_id, p.wp_id as post, parent.wp_id as parent, c.type,"
                " c.author_name, c.author_url, c.published, c.text, c.comment_page, c.depth"
                " from comments c join posts p on p.id = c.post_id"
                " left join comments parent on parent.id = c.parent_id")}


def test_the_restored_blog_gives_back_the_original_archive(restored: Restored) -> None:
    original = _posts(restored.original, restored.original_blog)
    again = _posts(restored.restored, restored.restored_blog)
    assert sorted(again) == sorted(original)
    found = [f"post {wp_id}: {a!r}\n  != {b!r}" for wp_id, a in original.items()
             if (b := again[wp_id]) != a]
    assert not found, f"{len(found)} posts differ:\n" + "\n".join(found[:10])


def test_the_restored_blog_has_every_comment_threaded_as_before(restored: Restored) -> None:
    original, again = _comments(restored.original), _comments(restored.restored)
    assert Counter(c[2] for c in again.values()) == Counter(c[2] for c in original.values())
    found = [f"comment {wp_id}: {a!r}\n  != {again.get(wp_id)!r}"
             for wp_id, a in original.items() if again.get(wp_id) != a]
    assert not found, f"{len(found)} comments differ:\n" + "\n".join(found[:10])
    assert restored.summary["comments"] == len(original)

