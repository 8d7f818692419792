"""Contoh plugin patuh untuk Peraturan Wali Kota Harapan Nomor 12 Tahun 2023 (fiktif).

An example patuh plugin: a regional ruleset and the ``domain_go_id`` operator. The hooks live in
:mod:`patuh_perkada_kota_harapan.plugin`, the module the ``patuh`` entry point names.
"""

__version__ = "0.1.0"
