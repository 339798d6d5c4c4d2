"""The domain and vault layers never import the UI toolkit (textual) or rich."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import confidant_tui.domain, confidant_tui.vault
    imported = []
    for package in (confidant_tui.domain, confidant_tui.vault):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
            imported.append(module.name)
    leaked = sorted(name for name in sys.modules if name.split(".")[0] in ("textual", "rich"))
    print(len(imported), "modules")
    print("LEAKED:", leaked)
    sys.exit(1 if leaked or not imported else 0)
    """
)


def test_domain_and_vault_import_neither_textual_nor_rich() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LEAKED: []" in result.stdout
