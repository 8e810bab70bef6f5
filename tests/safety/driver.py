"""A real app process that works in a loop and prints each committed change (flushed), for the
crash tests to SIGKILL at random moments. Run as `python driver.py MODE WORKSPACE SEED`.

Every printed line names something that was committed *before* it was printed:
  evidence UUID | case UUID | edit UUID NOTE | bundle UUID | backup NAME
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def out(*parts) -> None:
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


def work(root: Path, seed: int) -> None:
    from evidence_app.core.safety import backup
    from evidence_app.core.bundles import bundles
    from evidence_app.core.evidence import cases, evidence, framework
    from evidence_app.core.workspace import Workspace

    rng = random.Random(seed)
    ws = Workspace.open(root)
    docs = [r[0] for r in ws.db.conn.execute(
        "SELECT id FROM documents WHERE status = 'ok' AND member = '' ORDER BY id")]
    enq = [e.id for e in framework.enquiries(ws)][:6]
    mine: list[str] = []
    bundle_ids: list[int] = []
    i = 0
    out("ready")
    while True:
        i += 1
        op = rng.random()
        if op < 0.5 or not mine:
            item = evidence.tag(ws, rng.choice(docs), enquiries=[rng.choice(enq)],
                                note=f"note {seed}-{i}", strength=rng.choice(
                                    ["strong", "moderate", "weak"])).value
            mine.append(item.uuid)
            out("evidence", item.uuid)
        elif op < 0.65:
            c = cases.add_case(ws, f"CH-{seed % 1000:03d}{i:03d}", name=f"Child Name {i}").value
            out("case", c.uuid)
        elif op < 0.85:
            u = rng.choice(mine)
            note = f"edited {seed}-{i}"
            evidence.edit(ws, u, note=note).value
            out("edit", u, note)
        elif op < 0.97:
            if not bundle_ids or rng.random() < 0.3:
                b = bundles.create_bundle(ws, f"Bundle {seed}-{i}", enquiries=[enq[0]]).value
                bundle_ids.append(b.id)
                out("bundle", b.uuid)
            else:
                bid = rng.choice(bundle_ids)
                u = rng.choice(mine)
                try:
                    bundles.add_item(ws, bid, u).value
                except Exception:  # noqa: BLE001 - already in it
                    continue
                b = bundles.get_bundle(ws, bid)
                out("bundle-item", b.uuid, u)
        else:
            info = backup.backup_now(ws, "manual")
            out("backup", info.path.name)


def backups_loop(root: Path, seed: int) -> None:
    from evidence_app.core.safety import backup
    from evidence_app.core.workspace import Workspace

    ws = Workspace.open(root)
    out("ready")
    while True:
        info = backup.backup_now(ws, "auto")
        out("backup", info.path.name)


if __name__ == "__main__":
    mode, root, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    {"work": work, "backup": backups_loop}[mode](root, seed)
