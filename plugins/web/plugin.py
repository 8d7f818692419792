"""The web platform as a patuh plugin: `patuh serve` and `patuh web …`.

Django is imported only when one of these commands runs (inside the functions), so that
`patuh check` and every other command start exactly as fast as without the platform."""

from __future__ import annotations

from pathlib import Path

import click

from patuh import hookimpl

DATA_OPTION = click.option(
    "--data", "data", type=click.Path(file_okay=False, path_type=Path),
    default=Path("patuh-data"), show_default=True,
    help="Folder data platform (basis data, bukti, kunci rahasia) / the platform's data folder.")


@hookimpl
def patuh_add_commands(cli: click.Group) -> None:
    if "serve" in cli.commands:
        return

    @cli.command("serve")
    @DATA_OPTION
    @click.option("--host", default="127.0.0.1", show_default=True,
                  help="Alamat yang didengar / address to listen on.")
    @click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
    @click.option("--database", "database_url", metavar="URL",
                  help="postgresql://… untuk server bersama / for a shared server "
                  "(default: SQLite in --data).")
    @click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True)
    @click.option("--insecure-cookies", is_flag=True,
                  help="Cookie tanpa tanda Secure, untuk HTTP polos di alamat intranet (tanpa "
                  "TLS) / cookies without Secure, for plain HTTP on an intranet address.")
    def serve(data: Path, host: str, port: int, database_url: str | None, threads: int,
              insecure_cookies: bool) -> None:
        """Jalankan platform web / serve the web platform."""
        from patuh.plugins.web import commands

        commands.serve(data, host, port, database_url, threads, insecure_cookies)

    @cli.group("web")
    def web() -> None:
        """Kelola platform dari baris perintah / administer the platform."""

    @web.group("round")
    def round_group() -> None:
        """Putaran penilaian / assessment rounds."""

    @round_group.command("add")
    @click.argument("name")
    @click.option("--ruleset", required=True)
    @click.option("--edition", required=True)
    @click.option("--period", "year", type=click.IntRange(2000, 2100), required=True)
    @click.option("--slug", help="Pengenal di URL / the id in URLs (default: from NAME).")
    @DATA_OPTION
    @click.option("--database", "database_url", metavar="URL")
    def round_add(name: str, ruleset: str, edition: str, year: int, slug: str | None,
                  data: Path, database_url: str | None) -> None:
        """Buat putaran / create a round."""
        from patuh.plugins.web import commands

        commands.round_add(data, database_url, name, ruleset, edition, year, slug)

    @web.group("unit")
    def unit_group() -> None:
        """Unit sebuah putaran / a round's units."""

    @unit_group.command("import")
    @click.argument("round_slug", metavar="ROUND")
    @click.argument("folders", nargs=-1, required=True,
                    type=click.Path(file_okay=False, path_type=Path))
    @DATA_OPTION
    @click.option("--database", "database_url", metavar="URL")
    def unit_import(round_slug: str, folders: tuple[Path, ...], data: Path,
                    database_url: str | None) -> None:
        """Jadikan folder manifest unit putaran / make manifest folders units of a round."""
        from patuh.plugins.web import commands

        commands.unit_import(data, database_url, round_slug, folders)

    @web.group("user")
    def user_group() -> None:
        """Pengguna / people."""

    @user_group.command("add")
    @click.argument("username")
    @click.option("--role", type=click.Choice(["admin", "operator", "evaluator", "pimpinan"]),
                  required=True)
    @click.option("--unit", "units", multiple=True, metavar="KODE",
                  help="Unit yang ditangani (boleh berulang) / the person's units (repeatable).")
    @click.option("--round", "round_slug", metavar="ROUND",
                  help="Putaran unit-unit itu (bila kode ada di beberapa putaran) / the round "
                  "of those units.")
    @DATA_OPTION
    @click.option("--database", "database_url", metavar="URL")
    def user_add(username: str, role: str, units: tuple[str, ...], round_slug: str | None,
                 data: Path, database_url: str | None) -> None:
        """Tambah pengguna; kata sandi dari stdin / add a person; password on stdin."""
        from patuh.plugins.web import commands

        commands.user_add(data, database_url, username, role, units, round_slug)

    @web.command("token")
    @click.argument("username")
    @DATA_OPTION
    @click.option("--database", "database_url", metavar="URL")
    def token(username: str, data: Path, database_url: str | None) -> None:
        """Cetak token API baru / print a new API token."""
        from patuh.plugins.web import commands

        commands.token(data, database_url, username)

    @web.command("backup")
    @DATA_OPTION
    @click.argument("out", metavar="OUT.zip", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--database", "database_url", metavar="URL")
    def backup(data: Path, out: Path, database_url: str | None) -> None:
        """Cadangkan basis data, folder unit dan kunci ke satu zip, juga saat server berjalan /
        back up the database, unit folders and key into one zip, also while the server runs."""
        from patuh.plugins.web import commands

        commands.backup(data, database_url, out)

    @web.command("restore")
    @click.argument("backup_file", metavar="BACKUP.zip",
                    type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path),
                  required=True, help="Folder data baru (kosong) / a new (empty) data folder.")
    @click.option("--database", "database_url", metavar="URL",
                  help="Basis data kosong / an empty database (default: SQLite in --data).")
    def restore(backup_file: Path, data: Path, database_url: str | None) -> None:
        """Pulihkan cadangan ke folder data dan basis data kosong / restore a backup into an
        empty data folder and database."""
        from patuh.plugins.web import commands

        commands.restore(backup_file, data, database_url)
