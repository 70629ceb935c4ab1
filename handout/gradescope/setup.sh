#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
# Generated from kata/steps.toml by `python -m kata gradescope`: do not edit.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip git
if python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python3 -m venv /opt/linreg-kata
else
    # The kata needs Python 3.11 or newer; uv fetches a standalone CPython 3.11.
    python3 -m pip install --quiet uv || python3 -m pip install --quiet --break-system-packages uv
    python3 -m uv venv --seed --python 3.11 /opt/linreg-kata
fi
# The grading dependencies, every one pinned (constraints.txt), and the CPU build of torch.
/opt/linreg-kata/bin/python -m pip install --quiet -e /autograder/source \
    -c /autograder/source/constraints.txt --extra-index-url https://download.pytorch.org/whl/cpu
