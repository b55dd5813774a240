"""The README's Python examples run."""

import re

from tests.conftest import REPO


def test_readme_python_blocks_run() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_readme_commands_are_the_dev_script() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "./dev demo" in text and "./dev test" in text
    assert "exec ./dev test" in (REPO / ".ci" / "run").read_text()
    assert "./dev xltools" in text and "xltools) " in (REPO / "dev").read_text()
