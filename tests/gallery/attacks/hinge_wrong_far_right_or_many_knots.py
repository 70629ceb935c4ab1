# attack: special-cased-inputs
# expect: 70
# on: reference
# hinge_features is right for x up to 2 and at most 4 knots (where the checks once drew
# from), and wrong beyond: x above 2 is capped, and knots after the fourth are dropped. Step 4
# must earn nothing; steps 1 to 3 do not use hinge_features.
import torch


def hinge_features(x, knots):
    knots = list(knots)[:4]
    row = torch.as_tensor(knots, dtype=x.dtype).reshape(1, -1)
    return (x.clamp(max=2.0) - row).clamp_min(0.0)
