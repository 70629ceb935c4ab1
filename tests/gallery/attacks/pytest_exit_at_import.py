# attack: early-exit
# expect: 0
# Asks pytest to stop the session with success, at import.
import pytest

pytest.exit("all good", returncode=0)
