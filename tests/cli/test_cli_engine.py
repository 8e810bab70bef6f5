"""The engine's command-line contract, run as a real process."""
from tests.factories import write_docx, write_pdf, write_text


def test_init_add_index_search_documents_status(cli, tmp_path):
    cases = tmp_path / "cases"
    write_docx(cases / "CH-004512" / "Visit.docx", ["The child's voice shaped the plan."])
    write_pdf(cases / "CH-004512" / "Review.pdf", ["Review one", "IRO review of the care plan"])
    (cases / "broken.pdf").parent.mkdir(exist_ok=True)
    (cases / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    write_text(cases / "note.txt", "worker note")

    cli("init", "--name", "Test Borough")
    cli("source", "add", str(cases), "--kind", "case-files")
    assert cli.json("source", "list")[0]["kind"] == "case-files"
    proc = cli("index", "--jobs", "2")
    assert proc.returncode == 0  # exit 0 even though one file could not be read
    assert "indexed" in proc.stderr

    hits = cli.json("search", "care plan", "--limit", "5")
    assert hits and {"document_id", "path", "title", "page", "snippet", "score"} <= set(hits[0])
    assert hits[0]["path"].endswith("Review.pdf") and hits[0]["page"] == 2
    assert hits[0]["path"].startswith("/") or hits[0]["path"][1] == ":"

    docs = cli.json("documents")
    assert {"path", "format", "status", "reason", "pages", "chars"} <= set(docs[0])
    broken = [d for d in docs if d["path"].endswith("broken.pdf")][0]
    assert broken["status"] == "damaged" and broken["reason"]
    assert [d["path"] for d in cli.json("documents", "--status", "damaged")] == [broken["path"]]

    status = cli.json("status")
    assert status["by_status"]["ok"] == 3 and status["by_status"]["damaged"] == 1
    assert status["by_kind"]["case-files"] == 4


def test_errors_are_one_readable_line_and_non_zero(cli, tmp_path):
    proc = cli("search", "anything", check=False)
    assert proc.returncode != 0
    assert proc.stderr.strip().startswith("error:") and len(proc.stderr.strip().splitlines()) == 1
    cli("init")
    bad = cli("search", '"unbalanced', check=False)
    assert bad.returncode == 1 and "quotation mark" in bad.stderr and "Traceback" not in bad.stderr
    missing = cli("source", "add", str(tmp_path / "nope"), "--kind", "policies", check=False)
    assert missing.returncode == 1 and "not a folder" in missing.stderr


def test_python_main_py_runs_the_cli(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, str(root / "main.py"), "--workspace",
                           str(tmp_path / "w"), "init"], capture_output=True, text=True)
    assert proc.returncode == 0 and (tmp_path / "w" / "evidence.db").exists()


def test_index_watch_runs_until_interrupted(cli, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    cases = tmp_path / "cases"
    write_text(cases / "first.txt", "first note")
    cli("init")
    cli("source", "add", str(cases), "--kind", "case-files")
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "evidence_app", "--workspace",
                             str(cli.workspace), "index", "--watch"], cwd=str(root),
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not cli.json("search", "first") and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)
        write_text(cases / "CH-000321" / "later.txt", "a later note about kinship carers")
        found = []
        while time.monotonic() < deadline and not found:
            found = cli.json("search", "kinship")
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert found and found[0]["path"].endswith("later.txt"), err
    assert proc.returncode in (0, 130), err
    assert "Watching" in err and "Traceback" not in err
    assert os.path.exists(cli.workspace / "evidence.db")
