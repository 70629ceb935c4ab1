# attack: edit-files
# expect: 0
# needs: sandbox
# Rewrites the test files and the grader's own modules on disk.


from pathlib import Path

import kata  # the grader's package: where its checkout is

for root in (Path.cwd(), *Path.cwd().parents, Path(str(Path(kata.__file__).parents[1]))):
    for pattern in ("tests/test_*.py", "kata/*.py", "conftest.py"):
        for path in root.glob(pattern):
            try:
                path.write_text("def test_ok():\n    assert True\n")
            except OSError:
                pass
