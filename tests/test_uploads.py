"""Uploads written into a folder beside the store: what is accepted, and each refusal named."""

import io
import stat
import zipfile
from pathlib import Path

import pytest

from dashboard.errors import ConfigError
from dashboard.uploads import (
    MAX_BYTES_ENV,
    MAX_FILES_ENV,
    Upload,
    UploadLimits,
    name_problem,
    new_upload_folder,
    save_uploads,
    uploads_root,
)

ARTICLE = b" date 2023-05-30\nPolice arrested two men in Prizren on Monday.\n"


def zipped(*members: tuple[str, bytes] | zipfile.ZipInfo, contents: bytes = ARTICLE) -> bytes:
    """An archive of (name, bytes) members, or of ZipInfo headers holding ``contents``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            if isinstance(member, zipfile.ZipInfo):
                archive.writestr(member, contents)
            else:
                archive.writestr(*member)
    return buffer.getvalue()


def written(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def messages(saved) -> dict[str, str]:
    return {problem.path: problem.message for problem in saved.problems}


def test_articles_and_archived_articles_are_written_under_the_upload_folder(tmp_path):
    folder = tmp_path / "uploads" / "20230530-120000"
    archive = zipped(("a.txt", ARTICLE), ("north/b.txt", ARTICLE), ("north/", b""))
    saved = save_uploads([Upload("one.txt", ARTICLE), Upload("batch.zip", archive)], folder)
    assert saved.problems == ()
    assert [p.relative_to(folder).as_posix() for p in saved.paths] == ["one.txt", "batch/a.txt", "batch/north/b.txt"]
    assert all(path.read_bytes() == ARTICLE for path in saved.paths)


def test_the_upload_folder_sits_beside_the_store_and_is_new_each_time(tmp_path):
    root = uploads_root(tmp_path / "events.db")
    assert root == tmp_path.resolve() / "uploads"
    first = new_upload_folder(root, "20230530-120000")
    first.mkdir(parents=True)
    assert new_upload_folder(root, "20230530-120000") == root / "20230530-120000-2"


def test_nothing_is_created_when_nothing_is_accepted(tmp_path):
    saved = save_uploads([Upload("notes.pdf", b"%PDF")], tmp_path / "new")
    assert saved.paths == ()
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "..",
        "a/b.txt",
        "a\\b.txt",
        "/etc/passwd.txt",
        "C:evil.txt",
        "x..txt",
        "bad\x00.txt",
        "tab\t.txt",
        " ",
    ],
)
def test_a_name_with_a_path_or_control_characters_is_refused(tmp_path, name):
    assert name_problem(name) is not None
    saved = save_uploads([Upload(name, ARTICLE)], tmp_path / "up")
    assert saved.paths == ()
    assert len(saved.problems) == 1
    assert not list(tmp_path.rglob("*.txt"))


@pytest.mark.parametrize("name", ["a.txt", "Zvečan 26. maja.txt", "report (2).TXT", ".hidden.txt"])
def test_a_plain_file_name_is_accepted(name):
    assert name_problem(name) is None


def test_other_kinds_of_file_are_refused(tmp_path):
    saved = save_uploads([Upload("notes.pdf", b"%PDF"), Upload("a.txt.gz", b"\x1f\x8b")], tmp_path / "up")
    assert messages(saved) == {
        "notes.pdf": "only .txt articles and .zip archives of them can be added",
        "a.txt.gz": "only .txt articles and .zip archives of them can be added",
    }


def test_a_second_file_of_the_same_name_is_refused(tmp_path):
    saved = save_uploads([Upload("a.txt", ARTICLE), Upload("A.TXT", b"other")], tmp_path / "up")
    assert written(tmp_path / "up") == ["a.txt"]
    assert messages(saved) == {"A.TXT": "a file of this name is already in this upload"}


def test_an_article_over_the_size_limit_is_refused(tmp_path):
    limits = UploadLimits(max_article_bytes=len(ARTICLE) - 1)
    saved = save_uploads([Upload("a.txt", ARTICLE)], tmp_path / "up", limits=limits)
    assert saved.paths == ()
    assert "over the article size limit" in messages(saved)["a.txt"]


def test_files_beyond_the_count_or_byte_limit_are_refused_and_the_rest_kept(tmp_path):
    uploads = [Upload(f"{n}.txt", ARTICLE) for n in range(3)]
    by_count = save_uploads(uploads, tmp_path / "count", limits=UploadLimits(max_files=2))
    assert written(tmp_path / "count") == ["0.txt", "1.txt"]
    assert messages(by_count) == {"2.txt": "over the limit of 2 files in one upload"}
    by_bytes = save_uploads(uploads, tmp_path / "bytes", limits=UploadLimits(max_bytes=2 * len(ARTICLE) + 1))
    assert written(tmp_path / "bytes") == ["0.txt", "1.txt"]
    assert "over the limit of" in messages(by_bytes)["2.txt"]


def test_an_archive_with_more_members_than_allowed_is_refused_whole(tmp_path):
    archive = zipped(*((f"{n}.txt", ARTICLE) for n in range(4)))
    saved = save_uploads([Upload("many.zip", archive)], tmp_path / "up", limits=UploadLimits(max_files=3))
    assert written(tmp_path / "up") == []
    assert messages(saved) == {"many.zip": "holds 4 files, over the limit of 3 in one upload"}


def test_a_zip_bomb_is_refused_from_its_headers_before_anything_is_unpacked(tmp_path):
    archive = zipped(("big.txt", b" date 2023-05-30\n" + b"a" * 5_000_000))
    assert len(archive) < 20_000
    saved = save_uploads([Upload("bomb.zip", archive)], tmp_path / "up", limits=UploadLimits(max_bytes=1_000_000))
    assert written(tmp_path / "up") == []
    assert messages(saved) == {"bomb.zip": "unpacks to 5,000,017 bytes, over the limit of 1,000,000 in one upload"}


def test_a_member_larger_than_its_header_says_is_not_written(tmp_path):
    archive = bytearray(zipped(("a.txt", ARTICLE)))
    # shrink the declared size in the central directory, as a crafted archive would
    central = archive.rindex(b"PK\x01\x02")
    size_at = central + 24
    archive[size_at : size_at + 4] = (10).to_bytes(4, "little")
    saved = save_uploads([Upload("liar.zip", bytes(archive))], tmp_path / "up")
    assert written(tmp_path / "up") == []
    assert messages(saved)["liar.zip/a.txt"].startswith("cannot be unpacked")


@pytest.mark.parametrize("member", ["../evil.txt", "/abs.txt", "a/../../evil.txt", "a\\..\\evil.txt", "C:/evil.txt"])
def test_an_archive_with_a_member_that_leaves_its_folder_is_refused_whole(tmp_path, member):
    archive = zipped(("fine.txt", ARTICLE), (member, ARTICLE))
    saved = save_uploads([Upload("escape.zip", archive)], tmp_path / "up")
    assert written(tmp_path / "up") == []
    assert "leaves its folder" in messages(saved)["escape.zip"]
    assert not list(tmp_path.rglob("evil.txt"))


def test_other_members_are_named_and_the_articles_beside_them_written(tmp_path):
    link = zipfile.ZipInfo("link.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = zipped(
        ("a.txt", ARTICLE),
        ("inner.zip", zipped(("b.txt", ARTICLE))),
        ("notes.pdf", b"%PDF"),
        link,
        contents=b"/etc/passwd",
    )
    saved = save_uploads([Upload("mixed.zip", archive)], tmp_path / "up")
    assert written(tmp_path / "up") == ["mixed/a.txt"]
    assert messages(saved) == {
        "mixed.zip/inner.zip": "archives inside archives are not read",
        "mixed.zip/notes.pdf": "only .txt members are read",
        "mixed.zip/link.txt": "links are not read",
    }


def test_a_member_where_another_made_a_folder_is_named(tmp_path):
    saved = save_uploads([Upload("clash.zip", zipped(("a.txt", ARTICLE), ("a.txt/b.txt", ARTICLE)))], tmp_path / "up")
    assert written(tmp_path / "up") == ["clash/a.txt"]
    assert messages(saved)["clash.zip/a.txt/b.txt"].startswith("cannot be written")


def test_encrypted_members_are_named(tmp_path):
    archive = bytearray(zipped(("a.txt", ARTICLE)))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the encryption flag bit
        at = archive.index(signature) + offset
        archive[at] |= 0x1
    saved = save_uploads([Upload("secret.zip", bytes(archive))], tmp_path / "up")
    assert messages(saved) == {"secret.zip/a.txt": "encrypted members are not read"}


def test_a_file_that_is_not_an_archive_is_named(tmp_path):
    saved = save_uploads([Upload("broken.zip", b"not a zip")], tmp_path / "up")
    assert messages(saved)["broken.zip"].startswith("not a readable .zip archive")


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(MAX_FILES_ENV, "12")
    monkeypatch.setenv(MAX_BYTES_ENV, "3400")
    monkeypatch.setenv("DASHBOARD_MAX_ARTICLE_BYTES", "560")
    assert UploadLimits.from_env() == UploadLimits(max_files=12, max_bytes=3400, max_article_bytes=560)


@pytest.mark.parametrize("value", ["0", "-3", "ten", "1.5"])
def test_an_unusable_limit_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv(MAX_FILES_ENV, value)
    with pytest.raises(ConfigError, match=MAX_FILES_ENV):
        UploadLimits.from_env()
