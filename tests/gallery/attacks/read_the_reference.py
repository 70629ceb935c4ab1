# attack: read-reference
# expect: 0
# needs: sandbox
# Imports the reference solution and uses it for everything.


import kata  # the grader's package: where its checkout is
from pathlib import Path
import importlib.util
import sys

for root in (str(Path(kata.__file__).parents[1]), *sys.path):
    try:
        spec = importlib.util.spec_from_file_location("ref", f"{root}/solutions/linreg.py")
        ref = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ref)
    except (OSError, AttributeError, ImportError):
        continue
    globals().update({k: v for k, v in vars(ref).items() if not k.startswith("__")})
    break
