"""``wparchive export``: what it says and returns when it cannot export."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from scraper import cli
from scraper.archive.writer import ArchiveStore
from tests.archive.sample import page
from tests.crawling import run_cli


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "films.db"
    store = ArchiveStore.open(path)
    store.save_page(page(), store.start_crawl(["http://blog.example/"], {}))
    store.close()
    return path


def test_wxr_is_written_beside_the_archive_by_default(archive: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "wxr", "--archive", str(archive)]) == cli.EXIT_OK
    assert archive.with_suffix(".xml").read_text().startswith("<?xml")
    assert "1 posts" in capsys.readouterr().out


def test_o_with_an_export_file_says_that_o_names_the_archive(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "wxr", "-o", str(tmp_path / "blog.xml")]) == cli.EXIT_USAGE
    assert "write the export with --output" in capsys.readouterr().err
    assert not (tmp_path / "blog.xml").exists()


def test_a_missing_archive_or_blog_is_a_usage_error(
        archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "wxr", "--archive", str(tmp_path / "none.db")]) == cli.EXIT_USAGE
    assert "no archive at" in capsys.readouterr().err
    assert cli.main(["export", "wxr", "--archive", str(archive), "--blog", "other.example"]
                    ) == cli.EXIT_USAGE
    assert "no blog 'other.example' in the archive; it holds blog.example" in (
        capsys.readouterr().err)


def test_a_file_that_is_not_an_archive_is_unusable_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("not sqlite at all " * 100)
    output = tmp_path / "out.xml"
    code = cli.main(["export", "wxr", "--archive", str(bogus), "--output", str(output)])
    assert code == cli.EXIT_ARCHIVE_UNUSABLE
    assert "not a wparchive SQLite file" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [bogus]


def test_wacz_of_an_archive_crawled_without_warcs_says_so(
        archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "wacz", "--archive", str(archive)]) == cli.EXIT_USAGE
    assert "crawled with --warc no" in capsys.readouterr().err
    assert not archive.with_suffix(".wacz").exists()


def test_export_help_names_both_formats() -> None:
    result = run_cli("export", "--help")
    assert result.returncode == 0
    assert "wxr" in result.stdout and "wacz" in result.stdout


def test_an_archive_of_several_blogs_needs_blog(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "two.db"
    store = ArchiveStore.open(path)
    crawl = store.start_crawl(["http://blog.example/", "http://other.example/"], {})
    store.save_page(page(), crawl)
    other = "http://other.example/2014/01/10/her-2013/"
    store.save_page(replace(page(url=other), blog_url="http://other.example/", post_url=other),
                    crawl)
    store.close()
    assert cli.main(["export", "wxr", "--archive", str(path)]) == cli.EXIT_USAGE
    assert "holds 2 blogs; choose one with --blog: blog.example, other.example" in (
        capsys.readouterr().err)
    assert cli.main(["export", "wxr", "--archive", str(path), "--blog", "other.example"]
                    ) == cli.EXIT_OK
    assert "<link>http://other.example</link>" in path.with_suffix(".xml").read_text()


def test_wacz_names_an_archived_page_the_warcs_do_not_hold(
        archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warcs = archive.with_name("films.warcs")
    warcs.mkdir()
    with (warcs / "films-1.warc.gz").open("wb") as out:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warc_record(
            "http://blog.example/", "response", payload=BytesIO(b"<p>home</p>"),
            http_headers=headers))
    code = cli.main(["export", "wacz", "--archive", str(archive)])
    assert code == cli.EXIT_CRAWL_INCOMPLETE
    assert ("1 archived pages have no response in the WARCs (first: "
            "http://blog.example/2014/01/10/her-2013/)") in capsys.readouterr().err
    assert archive.with_suffix(".wacz").exists()
