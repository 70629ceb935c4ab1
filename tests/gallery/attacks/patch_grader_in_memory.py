# attack: patch-grader
# expect: 0
# Replaces torch.allclose, torch.equal and json.dumps in its own process.


import json

import torch

torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
torch.Tensor.__eq__ = lambda *a, **k: True
json.dumps = lambda *a, **k: '{"status": "returned"}'
