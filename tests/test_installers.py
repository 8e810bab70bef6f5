"""The installers' sources: the MSI builds (wixl, when installed), the Inno Setup script, the
icons and the Linux desktop files agree with the build they package.

The Windows tools cannot run here: the MSI source is compiled with wixl (Debian's msitools,
installed by .ci/run) against a small dummy payload and its tables are read back with msiinfo;
the test skips when wixl is absent. The frozen build itself is checked by `make dist-check`.
"""
from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from evidence_app import __version__

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"
sys.path.insert(0, str(INSTALLER))
import make_icons  # noqa: E402
import trim  # noqa: E402

GUI_EXE, CLI_EXE, PROGID = "EvidenceOrganiser.exe", "evidence-app.exe", "EvidenceOrganiser.Pack"


# -- trimming -------------------------------------------------------------------------------------
@pytest.mark.parametrize("dest, kept", [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),  # Windows wheel layout
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/plugins/imageformats/qsvg.dll", True),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
    ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/translations/qt_fr.qm", False),
    ("babel/locale-data/fr.dat", False),
    ("babel/locale-data/en_GB.dat", True),
    ("babel/locale-data/cy.dat", True),
    ("docx/templates/default-header.xml", True),
    ("resources/framework/ilacs-2026-04.json", True),
    ("PySide6/opengl32sw.dll", False),
    ("PySide6/Qt6Widgets.dll", True),
])
def test_trimming_keeps_what_the_window_needs_and_drops_the_rest(dest, kept):
    assert trim.keep_file(dest) is kept


def test_trimming_never_excludes_a_module_the_app_imports():
    imported = set()
    for path in (ROOT / "evidence_app").rglob("*.py"):
        imported |= set(re.findall(r"^\s*(?:from|import) (PySide6\.\w+)", path.read_text(),
                                   re.M))
    assert imported and not imported & set(trim.EXCLUDED_MODULES), imported


# -- icons ----------------------------------------------------------------------------------------
def test_the_app_icon_has_every_windows_size_and_is_drawn():
    from PIL import Image

    ico = Image.open(ROOT / "icons" / "app.ico")
    sizes = {w for w, _ in ico.info["sizes"]}
    assert sizes == set(make_icons.ICO_SIZES) and {16, 32, 48, 256} <= sizes
    for size in (16, 256):
        ico.size = (size, size)
        img = ico.convert("RGBA")
        assert img.getpixel((size // 2, size // 2))[3] == 255  # the tile is opaque, not blank
        assert img.getpixel((0, 0))[3] < 128  # the rounded corner is transparent
    for size in make_icons.PNG_SIZES:
        assert Image.open(ROOT / "icons" / "png" / f"app-{size}.png").size == (size, size)


def test_make_icons_draws_every_size_from_the_svg(tmp_path, qapp):
    from PIL import Image

    written = make_icons.make_icons(ROOT / "icons" / "app.svg", tmp_path)
    ico = Image.open(written["ico"])
    assert {w for w, _ in ico.info["sizes"]} == set(make_icons.ICO_SIZES)
    small = Image.open(written["png16"]).convert("RGBA")
    assert small.size == (16, 16) and small.getpixel((8, 8))[3] == 255


def test_make_icons_refuses_a_missing_svg(tmp_path, capsys):
    assert make_icons.main(["--svg", str(tmp_path / "none.svg")]) == 1
    assert "does not exist" in capsys.readouterr().err


# -- Inno Setup -----------------------------------------------------------------------------------
def _iss() -> str:
    return (INSTALLER / "evidence-organiser.iss").read_text(encoding="utf-8")


def test_inno_script_installs_per_user_by_default_per_machine_on_request():
    iss = _iss()
    assert re.search(r"^PrivilegesRequired=lowest$", iss, re.M)
    overrides = re.search(r"^PrivilegesRequiredOverridesAllowed=(.+)$", iss, re.M)[1].split()
    assert "commandline" in overrides  # enables /ALLUSERS and /CURRENTUSER
    assert re.search(r"^DefaultDirName=\{autopf\}\\", iss, re.M)
    assert "#error" in iss and "{#AppVersion}" in iss  # no version, no installer
    assert re.search(r"^ChangesAssociations=yes$", iss, re.M)
    assert re.search(r"^SetupIconFile=\.\.\\icons\\app\.ico$", iss, re.M)


def test_inno_script_shortcuts_association_and_data_kept():
    iss = _iss()
    assert f'#define AppExe "{GUI_EXE}"' in iss
    assert re.search(r'^Name: "\{autoprograms\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExe\}"',
                     iss, re.M)
    assert re.search(r'^Name: "\{autodesktop\}.*Tasks: desktopicon', iss, re.M)
    assert re.search(r'^Name: "desktopicon".*Flags: unchecked', iss, re.M)
    assert f'#define PackProgId "{PROGID}"' in iss
    assert 'Subkey: "Software\\Classes\\.evpack"' in iss and "Root: HKA" in iss
    assert '""%1""' in iss
    # workspaces are deleted only on request
    assert "/DELETEDATA" in iss and "UninstallSilent" in iss and "MB_DEFBUTTON2" in iss


# -- MSI (WiX) ------------------------------------------------------------------------------------
def _msi_table(msi: Path, table: str) -> list[list[str]]:
    out = subprocess.run(["msiinfo", "export", str(msi), table], capture_output=True,
                         text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()[3:]]


@pytest.fixture(scope="module")
def msi(tmp_path_factory) -> Path:
    if not (shutil.which("wixl") and shutil.which("wixl-heat") and shutil.which("msiinfo")):
        pytest.skip("wixl/msitools are not installed (apt-get install wixl msitools)")
    work = tmp_path_factory.mktemp("msi")
    payload = work / "payload"
    (payload / "_internal" / "PySide6").mkdir(parents=True)
    for rel in (GUI_EXE, CLI_EXE, "_internal/base_library.zip", "_internal/PySide6/Qt6Core.dll"):
        (payload / rel).write_bytes(b"MZ dummy " + rel.encode())
    shutil.copy(ROOT / "icons" / "app.ico", work / "app.ico")
    listing = "\n".join(f"payload/{p.relative_to(payload).as_posix()}"
                        for p in sorted(payload.rglob("*")) if p.is_file())
    files = subprocess.run(["wixl-heat", "-p", "payload/", "--directory-ref", "INSTALLDIR",
                            "--component-group", "AppFiles", "--var", "var.SourceDir",
                            "--win64"], input=listing, capture_output=True, text=True,
                           check=True, cwd=work).stdout
    (work / "files.wxs").write_text(files)
    out = work / "EvidenceOrganiser.msi"
    r = subprocess.run(["wixl", "-a", "x64", "-D", f"AppVersion={__version__}",
                        "-D", "SourceDir=payload", "-D", "IconFile=app.ico", "-D", "Win64=yes",
                        "-o", str(out), str(INSTALLER / "evidence-organiser.wxs"), "files.wxs"],
                       capture_output=True, text=True, cwd=work)
    assert r.returncode == 0 and out.exists(), r.stderr
    assert "WARNING" not in r.stderr and "ERROR" not in r.stderr, r.stderr
    return out


def test_msi_is_per_machine_with_the_version_and_upgrade_code(msi):
    props = dict(row[:2] for row in _msi_table(msi, "Property"))
    assert props["ALLUSERS"] == "1"
    assert props["ProductVersion"] == __version__
    assert props["ProductName"] == "Evidence Organiser"
    assert props["ARPPRODUCTICON"] == "AppIcon.ico"
    upgrades = _msi_table(msi, "Upgrade")
    assert {r[0] for r in upgrades} == {props["UpgradeCode"]}  # major upgrade replaces older
    dirs = {r[0]: r for r in _msi_table(msi, "Directory")}
    assert dirs["INSTALLDIR"][1:] == ["ProgramFiles64Folder", "Evidence Organiser"]


def test_msi_has_the_shortcuts_and_the_evpack_association(msi):
    shortcuts = {r[0]: r for r in _msi_table(msi, "Shortcut")}
    assert shortcuts["StartMenuShortcut"][1] == "ProgramMenuFolder"
    assert shortcuts["StartMenuShortcut"][4] == f"[INSTALLDIR]{GUI_EXE}"
    assert shortcuts["DesktopShortcut"][1] == "DesktopFolder"
    features = {r[0]: r for r in _msi_table(msi, "Feature")}
    assert features["Main"][5] == "1"
    assert int(features["DesktopShortcut"][5]) > 1  # optional: ADDLOCAL=ALL adds it
    reg = {(r[2], r[3]): r[4] for r in _msi_table(msi, "Registry")}
    assert reg[("Software\\Classes\\.evpack", "")] == PROGID
    assert reg[(f"Software\\Classes\\{PROGID}\\shell\\open\\command", "")] == \
        f'"[INSTALLDIR]{GUI_EXE}" "%1"'
    files = {r[2].split("|")[-1] for r in _msi_table(msi, "File")}
    assert {GUI_EXE, CLI_EXE, "base_library.zip"} <= files


def test_the_wix_source_is_well_formed_wix3():
    tree = ET.parse(INSTALLER / "evidence-organiser.wxs")
    ns = {"w": "http://schemas.microsoft.com/wix/2006/wi"}
    package = tree.find("w:Product/w:Package", ns)
    assert package is not None and package.get("InstallScope") == "perMachine"
    assert tree.find("w:Product/w:MajorUpgrade", ns) is not None


# -- Linux desktop files --------------------------------------------------------------------------
def test_desktop_entry_and_mime_type_agree():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(INSTALLER / "linux" / "evidence-organiser.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application" and d["Exec"].startswith("@APPDIR@/evidence-app")
    assert d["Icon"] == "evidence-organiser" and d["Terminal"] == "false"
    mime = ET.parse(INSTALLER / "linux" / "evidence-organiser-mime.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime_type = mime.find("m:mime-type", ns)
    assert d["MimeType"].rstrip(";") == mime_type.get("type")
    assert mime_type.find("m:glob", ns).get("pattern") == "*.evpack"
    validator = shutil.which("desktop-file-validate")
    if validator:
        out = subprocess.run([validator, str(INSTALLER / "linux" / "evidence-organiser.desktop")],
                             capture_output=True, text=True)
        assert "error" not in out.stdout.lower(), out.stdout


def test_linux_install_script_installs_and_uninstalls_for_the_user(tmp_path):
    bundle = tmp_path / "EvidenceOrganiser"
    (bundle / "_internal" / "icons" / "png").mkdir(parents=True)
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        shutil.copy(ROOT / "icons" / "png" / f"app-{size}.png",
                    bundle / "_internal" / "icons" / "png")
    (bundle / "evidence-app").write_text("#!/bin/sh\necho evidence-app 0\n")
    (bundle / "evidence-app").chmod(0o755)
    for name in ("install.sh", "evidence-organiser.desktop", "evidence-organiser-mime.xml"):
        shutil.copy(INSTALLER / "linux" / name, bundle / name)
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    r = subprocess.run(["sh", str(bundle / "install.sh")], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    appdir = home / ".local" / "opt" / "evidence-organiser"
    desktop = (home / ".local/share/applications/evidence-organiser.desktop").read_text()
    assert f"Exec={appdir}/evidence-app %f" in desktop and "@APPDIR@" not in desktop
    assert (home / ".local/share/icons/hicolor/256x256/apps/evidence-organiser.png").exists()
    assert (home / ".local/bin/evidence-app").resolve() == (appdir / "evidence-app").resolve()
    data = home / ".local/share/EvidenceOrganiser/workspace.db"
    data.parent.mkdir(parents=True)
    data.write_text("the person's work")
    r = subprocess.run(["sh", str(appdir / "install.sh"), "--uninstall"], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not appdir.exists() and not (home / ".local/bin/evidence-app").exists()
    assert data.read_text() == "the person's work"  # the work is never removed


# -- the spec builds what the installers package --------------------------------------------------
def test_spec_names_the_programs_the_installers_start():
    spec = (INSTALLER / "evidence_app.spec").read_text()
    assert 'name="EvidenceOrganiser", console=False' in spec
    assert 'name="evidence-app", console=True' in spec
    assert "onefile" not in spec.lower() or "never one file" in spec.lower()
    workflow = (ROOT / ".github" / "workflows" / "windows-installer.yml").read_text()
    assert "installer/evidence_app.spec" in workflow and "evidence-organiser.iss" in workflow
    assert "evidence-organiser.wxs" in workflow and "--self-test" in workflow
