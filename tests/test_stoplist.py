"""The stop-list detector itself: it finds English and decimal points in prose, and leaves what
the user wrote or a machine reads alone."""

from stoplist import decimal_points
from stoplist import english_words


def test_finds_english_and_rounding_names():
    text = "Nilai: 4,67 (dibulatkan 2 desimal half_up); evidence not_found, see the rule"
    assert english_words(text) == ["evidence", "half_up", "not_found", "rule", "see", "the"]


def test_leaves_keys_paths_files_and_code_alone():
    text = ("isi `the value` di skm.responden, inovasi.daftar[1].nama, berkas "
            "foto/the-file.jpg, https://example.org/the, --ruleset, 2024-10-21T08:00, "
            "<code>rules are here</code>, patuh check, Maksud Anda 'check'?, bukan salah "
            'satu dari: "official", "secondary"')
    assert english_words(text) == []


def test_decimal_points_in_prose_only():
    text = "Nilai 4.67 dan +0.0408 dari 1.a.Ak; versi 1.2.3; foto/a.1.jpg; 4,51 dan 9.870"
    assert decimal_points(text) == ["4.67", "+0.0408"]


def test_a_command_to_type_is_code():
    text = "lalu periksa: patuh check unit/manifest.yaml; bandingkan dengan patuh rules diff"
    assert english_words(text) == []
    assert english_words("periksa (check) dulu") == ["check"]
    assert english_words("Penggunaan: patuh batch [OPTIONS] DIR|LIST\nlihat LIST") == ["LIST"]
