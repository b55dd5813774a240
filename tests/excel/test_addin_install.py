"""``install``: where the add-in goes, what it never overwrites, and the user's xlwings settings."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import xlsxwriter

from xltools.errors import Refused
from xltools.excel.addin import config, install
from xltools.excel.addin.build import PROPERTY_ADDIN


@pytest.fixture
def build_dir(addin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A build folder whose builds copy the session's add-in (a real build is tested elsewhere)."""

    def build(out: Path, xlwings_version: str | None = None) -> Path:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(addin, out)
        return out

    monkeypatch.setattr(install, "build", build)
    monkeypatch.setattr(sys, "platform", "linux")
    return tmp_path / "build"


def _workbook(path: Path, properties: dict[str, str]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    for name, value in properties.items():
        workbook.set_custom_property(name, value)
    workbook.add_worksheet()
    workbook.close()
    return path


def test_on_linux_it_builds_and_says_where_it_would_copy(build_dir: Path) -> None:
    lines = install.install(build_dir)
    assert (build_dir / "xltools.xlam").is_file()
    text = "\n".join(lines)
    assert "Excel kører ikke her" in text
    assert r"%APPDATA%\Microsoft\Excel\XLSTART\xltools.xlam" in text
    assert "~/Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel" in text
    assert sorted(path.name for path in build_dir.iterdir()) == ["xltools.xlam"]


def test_copies_into_a_new_folder_and_leaves_other_addins_alone(build_dir: Path, addin: Path, tmp_path: Path) -> None:
    startup = tmp_path / "XLSTART"
    startup.mkdir()
    (startup / "other.xlam").write_bytes(b"someone else's")
    lines = install.install(build_dir, startup)
    assert (startup / "xltools.xlam").read_bytes() == addin.read_bytes()
    assert (startup / "other.xlam").read_bytes() == b"someone else's"
    assert sorted(path.name for path in startup.iterdir()) == ["other.xlam", "xltools.xlam"]
    assert any("Kopieret til" in line for line in lines)
    assert any("allerede denne udgave" in line for line in install.install(build_dir, startup))


def test_a_foreign_file_of_our_name_is_refused(build_dir: Path, tmp_path: Path) -> None:
    startup = tmp_path / "XLSTART"
    startup.mkdir()
    foreign = _workbook(startup / "xltools.xlam", {"vendor": "another"})
    before = foreign.read_bytes()
    with pytest.raises(Refused, match="ikke xltools' tilføjelsesprogram"):
        install.install(build_dir, startup)
    assert foreign.read_bytes() == before
    foreign.write_bytes(b"not even a zip")
    with pytest.raises(Refused):
        install.install(build_dir, startup)
    assert foreign.read_bytes() == b"not even a zip"


def test_our_older_addin_is_replaced_and_backed_up_outside_the_startup_folder(
    build_dir: Path, addin: Path, tmp_path: Path
) -> None:
    startup = tmp_path / "XLSTART"
    startup.mkdir()
    older = _workbook(startup / "xltools.xlam", {PROPERTY_ADDIN: "0.0.1"}).read_bytes()
    lines = install.install(build_dir, startup)
    assert (startup / "xltools.xlam").read_bytes() == addin.read_bytes()
    assert [path.name for path in startup.iterdir()] == ["xltools.xlam"]  # Excel opens every file there
    (backup,) = (build_dir / "backup").iterdir()
    assert backup.read_bytes() == older and backup.name.startswith("xltools.backup-")
    assert any(str(backup) in line for line in lines)


def test_startup_folders(tmp_path: Path) -> None:
    windows = install.startup_folder("win32", tmp_path, {"APPDATA": r"C:\Users\k\AppData\Roaming"})
    assert windows == Path(r"C:\Users\k\AppData\Roaming") / "Microsoft" / "Excel" / "XLSTART"
    assert install.startup_folder("win32", tmp_path, {}) == tmp_path / "AppData/Roaming/Microsoft/Excel/XLSTART"
    office = tmp_path / "Library/Group Containers/UBF8T346G9.Office"
    with pytest.raises(Refused, match="start Excel én gang"):
        install.startup_folder("darwin", tmp_path, {})
    (office / "User Content").mkdir(parents=True)
    assert install.startup_folder("darwin", tmp_path, {}) == office / "User Content/Startup/Excel"
    (office / "User Content.localized/Startup.localized/Excel").mkdir(parents=True)
    assert install.startup_folder("darwin", tmp_path, {}) == office / "User Content.localized/Startup.localized/Excel"
    with pytest.raises(Refused):
        install.startup_folder("linux", tmp_path, {})


def test_user_settings_point_at_this_python_and_keep_the_rest(tmp_path: Path) -> None:
    path = config.user_file("win32", tmp_path)
    assert path == tmp_path / ".xltools" / "xltools.conf"
    assert config.user_file("darwin", tmp_path) == (
        tmp_path / "Library/Containers/com.microsoft.Excel/Data/xltools.conf"
    )
    assert config.set_user_interpreter(path, "win32", r"C:\py\python.exe") is None
    assert path.read_bytes() == b'"INTERPRETER_WIN","C:\\py\\python.exe"\r\n'
    path.write_bytes(b'"Show Console","True"\r\n"interpreter_win","C:\\old\\python.exe"\r\n')
    assert config.set_user_interpreter(path, "win32", r"C:\py\python.exe") == r"C:\old\python.exe"
    assert config.parse(path.read_text()) == [("INTERPRETER_WIN", r"C:\py\python.exe"), ("Show Console", "True")]
    path.write_bytes(b'"one","two","three"\r\n')
    with pytest.raises(Refused):
        config.set_user_interpreter(path, "win32", r"C:\py\python.exe")


def test_the_addin_settings_name_the_udf_module() -> None:
    settings = config.addin_settings()
    assert config.udf_modules(settings) == ["xltools.excel.udfs"]
    assert config.value(settings, "udf modules") == "xltools.excel.udfs"
    assert all(not key.upper().startswith("INTERPRETER") for key, _ in settings)  # would hide the user's file


def test_a_build_for_another_xlwings_is_refused(tmp_path: Path) -> None:
    from xltools.errors import Usage
    from xltools.excel.addin.build import build

    with pytest.raises(Usage, match="xlwings 0.1.0 er bedt om"):
        build(tmp_path / "xltools.xlam", xlwings_version="0.1.0")
    assert not (tmp_path / "xltools.xlam").exists()
