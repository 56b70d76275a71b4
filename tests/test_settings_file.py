"""settings_file.py reads a settings file as Pelican does, for check, without importing Pelican; and a
settings file that cannot be read is one message from every command, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pelican.settings import read_settings

from conftest import REPO, SAMPLE_NOW

from commissioning import cli, settings_file
from commissioning.settings import SettingsError, from_pelican


def _both(path, overrides=None):
    ours = settings_file.read(path, overrides)
    pelicans = read_settings(str(path), override=dict(overrides or {}))
    return ours, pelicans


@pytest.mark.parametrize("name", ["pelicanconf.py", "publishconf.py"])
def test_the_projects_settings_read_as_pelican_reads_them(name, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://funding.example.org/commissioning")
    monkeypatch.setenv("SITE_NOW", SAMPLE_NOW)
    ours, pelicans = _both(REPO / name)
    assert from_pelican(ours) == from_pelican(pelicans)
    for key in ("PATH", "SITEURL", "OUTPUT_PATH", "THEME"):
        assert ours[key] == pelicans[key], key
    assert from_pelican(ours).site_url == "https://funding.example.org/commissioning" or name == "pelicanconf.py"


def test_relative_paths_and_overrides_as_pelican_makes_them(tmp_path, monkeypatch):
    """Paths from the settings file's folder, not the current one; overrides over the file, their paths too."""
    project = tmp_path / "fork"
    (project / "pages").mkdir(parents=True)
    (project / "elsewhere").mkdir()
    settings = project / "mysettings.py"
    settings.write_text("PATH = 'pages'\nCOMMISSIONING_ROOT = '.'\nCOMMISSIONING_CLOSING_SOON_DAYS = 7\n"
                        "OUTPUT_PATH = 'built'\nlower_case_is_not_a_setting = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITE_NOW", SAMPLE_NOW)
    for overrides in (None, {"PATH": "elsewhere", "COMMISSIONING_RECENT_MONTHS": 3}, {"PATH": str(project / "pages")}):
        ours, pelicans = _both(settings, overrides)
        assert from_pelican(ours) == from_pelican(pelicans)
        assert ours["PATH"] == pelicans["PATH"] and ours["OUTPUT_PATH"] == pelicans["OUTPUT_PATH"]
    assert settings_file.read(settings)["PATH"] == str(project / "pages")
    assert "lower_case_is_not_a_setting" not in settings_file.read(settings)


def test_unset_path_is_the_current_folder_as_in_pelican(tmp_path, monkeypatch):
    settings = tmp_path / "bare.py"
    settings.write_text("SITENAME = 'x'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITE_NOW", SAMPLE_NOW)
    ours, pelicans = _both(settings)
    assert ours["PATH"] == pelicans["PATH"] == os.curdir
    assert from_pelican(ours) == from_pelican(pelicans)


BROKEN = [
    ("SITENAME = 'Commissioning\nPATH = 'content'\n",
     "cannot be read as settings (line 1: unterminated string literal (detected at line 1)); correct it, "
     "comparing it with the last version in git"),
    ("import os\nPATH = 'content'\nPAGE_SIZE = 100 / 0\n",
     "cannot be read as settings (line 3: ZeroDivisionError: division by zero); correct it, "
     "comparing it with the last version in git"),
    ("from missing_module import *\n",
     "cannot be read as settings (line 1: ModuleNotFoundError: No module named 'missing_module'); correct it, "
     "comparing it with the last version in git"),
    ("PATH = 'no-such-folder'\n",
     "PATH: 'no-such-folder' is not a folder; set it to the folder of the site's Markdown pages, "
     "for example str(HERE / 'content')"),
]


@pytest.mark.parametrize("text,message", BROKEN, ids=["syntax", "raises", "import", "path"])
def test_a_broken_settings_file_is_one_message_from_check_and_build(minimal_project, text, message):
    settings = minimal_project.path("brokenconf.py")
    settings.write_text(text, encoding="utf-8")
    (minimal_project.path("content")).mkdir(exist_ok=True)
    expected = f"brokenconf.py: {message}"
    overrides = {"COMMISSIONING_ROOT": str(minimal_project.root), "COMMISSIONING_NOW": SAMPLE_NOW}
    checked = minimal_project._run(cli.check, settings, False, overrides=overrides)
    built = minimal_project._run(cli.build, settings, minimal_project.path("output"), overrides=overrides, quiet=True)
    for result in (checked, built):
        assert result.code == cli.SETTINGS, result.err
        assert result.err.strip() == expected
    assert not minimal_project.path("output").exists()


def test_a_theme_pelican_cannot_find_is_a_message_not_a_traceback(minimal_project):
    result = minimal_project.build(THEME="no-such-theme")
    assert result.code == cli.SETTINGS, result.err
    assert result.err.strip() == ("pelicanconf.py: cannot be read as settings (Could not find the theme no-such-theme); "
                                  "correct it, comparing it with the last version in git")
    assert "Traceback" not in result.err


def test_the_same_bad_setting_is_the_same_message_from_check_build_and_serve(minimal_project):
    overrides = minimal_project.overrides(SAMPLE_NOW, COMMISSIONING_MINIFY="yes")
    expected = "pelicanconf.py: COMMISSIONING_MINIFY: 'yes' must be True or False, written without quotes"
    checked = minimal_project._run(cli.check, REPO / "pelicanconf.py", False, overrides=overrides)
    built = minimal_project._run(cli.build, REPO / "pelicanconf.py", overrides=overrides, quiet=True)
    served = minimal_project._run(cli.serve, REPO / "pelicanconf.py", 0, overrides=overrides)
    assert [r.err.strip() for r in (checked, built, served)] == [expected] * 3
    assert {r.code for r in (checked, built, served)} == {cli.SETTINGS}


def test_check_runs_without_importing_pelican():
    """Why settings_file.py exists: importing Pelican was a third of check's time. A subprocess, as staff run it."""
    code = ("import sys, contextlib, io\n"
            "from commissioning import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = cli.main(['check', '--settings', {str(REPO / 'pelicanconf.py')!r}])\n"
            "print(code, sorted(m for m in sys.modules if m == 'pelican' or m.startswith(('pelican.', 'docutils'))))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(REPO / p) for p in ("plugins", "tools")), "SITE_NOW": SAMPLE_NOW}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 []"


def test_unchanged_reads_the_settings_the_same_way(minimal_project, tmp_path):
    from commissioning.unchanged import unchanged

    built = minimal_project.build()
    assert built.code == 0, built.err
    result = minimal_project._run(unchanged, REPO / "pelicanconf.py", str(built.output),
                                  overrides=minimal_project.overrides(SAMPLE_NOW))
    assert result.code == 0, result.err
    assert "Nothing has changed" in result.out


def test_settings_errors_are_settings_errors():
    with pytest.raises(SettingsError):
        settings_file.read(REPO / "pelicanconf.py", {"PATH": str(REPO / "no-such-folder")})
