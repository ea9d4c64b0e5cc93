"""Legacy and damaged encodings: Western text is not read in a rare codepage, and a UTF-8
text with a stray byte is read with the byte replaced, recording where and how many."""

from __future__ import annotations

import pytest

from storyline.readers import encoding, read_paths
from storyline.records import Analysis

FRENCH = "Le garçon a mangé une crème brûlée à côté de la fenêtre, dit le ministre."


WESTERN = [
    "Café naïve",
    "Café naïve. " + FRENCH,
    "Die Straße in München ist schön, aber die Größe der Häuser überrascht.",
    "São Paulo não é a capital; a informação está correta.",
]
OTHERS = [  # the Western preference must not take these from their codepage
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Zažółć gęślą jaźń.", "cp1250"),
    ("Árvíztűrő tükörfúrógép. Az őrült hűtő működik.", "cp1250"),
    ("Привет, как дела? Всё хорошо, спасибо.", "cp1251"),
    ("Ελληνικά κείμενα εδώ, καλημέρα σας.", "cp1253"),
]


def test_encoding_western_text_is_not_read_in_a_rare_codepage():
    cases = [(t, c) for t in WESTERN for c in ("cp1252", "latin-1")]
    cases.append(("He said \u201cit\u2019s over\u201d \u2014 and left\u2026", "cp1252"))
    wrong = [(text, codec, encoding.decode(text.encode(codec))) for text, codec in cases + OTHERS]
    wrong = [(t, c, got) for t, c, got in wrong if got is None or got[0] != t]
    assert wrong == []


def test_encoding_latin1_file_stores_the_right_letters_and_its_encoding(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(("Café naïve. " + FRENCH).encode("latin-1"))
    (item,) = read_paths([str(path)])
    assert item.document.text == "Café naïve. " + FRENCH
    meta = {m.field: m for m in item.meta}
    assert meta["encoding"].value == "cp1252" and "western" in meta["encoding"].method


def test_encoding_utf8_with_a_stray_byte_is_read_and_the_replacement_recorded(tmp_path, good):
    text = "Café naïve. " + FRENCH + "\n"
    raw = text.encode("utf-8")
    at = raw.index(b"mang")
    data = raw[:at] + b"\xff" + raw[at:]
    path = tmp_path / "stray.txt"
    path.write_bytes(data)
    good(tmp_path, "z-good.txt")
    item, other = read_paths([str(tmp_path)])
    assert isinstance(item, Analysis), item
    char = len(raw[:at].decode("utf-8"))
    assert item.document.text == (text[:char] + "\ufffd" + text[char:]).strip()
    meta = {m.field: m for m in item.meta}
    assert meta["encoding"].value == "utf-8"
    replaced = meta["replaced_bytes"]
    assert replaced.value.startswith("1 byte") and str(at) in replaced.value and str(char) in replaced.value
    assert replaced.method == "utf-8/replace" and 0 < replaced.confidence <= 1
    assert isinstance(other, Analysis) and other.document.source_path.endswith("z-good.txt")


def test_encoding_decode_reports_replaced_runs():
    data = "naïve ".encode() + b"\xff\xfe" + " déjà".encode() + b"\x80"
    decoded = encoding.decode(data)
    assert decoded[0] == "naïve \ufffd\ufffd déjà\ufffd"
    assert decoded.encoding == "utf-8" and decoded.replaced == ((7, 9), (16, 17)) and decoded.replaced_chars == (6, 13)


def test_encoding_plain_utf8_records_no_encoding_field(tmp_path, good):
    (item,) = read_paths([str(good(tmp_path, text="Café naïve. " + FRENCH))])
    assert {m.field for m in item.meta}.isdisjoint({"encoding", "replaced_bytes"})
    assert encoding.decode("déjà".encode()).replaced == ()


def test_encoding_jsonl_row_with_a_stray_byte_is_read(tmp_path):
    import json

    row = json.dumps({"text": "Café naïve. " + FRENCH}, ensure_ascii=False).encode()
    at = row.index(b"mang")
    path = tmp_path / "rows.jsonl"
    path.write_bytes(row[:at] + b"\xff" + row[at:] + b"\n" + b'{"text": "caf\xe9 only latin"}\n')
    first, second = read_paths([str(path)])
    assert isinstance(first, Analysis) and "\ufffdmangé" in first.document.text
    meta = {m.field: m.value for m in first.meta}
    assert meta["encoding"] == "utf-8" and meta["replaced_bytes"].startswith(f"1 byte at byte {at} ")
    assert second.reason == "undecodable"  # no UTF-8 in it: JSON Lines are UTF-8, nothing to go on
