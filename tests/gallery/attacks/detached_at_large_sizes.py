# attack: size-gap
# expect: 0
# on: reference
# Right values everywhere, but predict detaches features after the 40th and, beyond 3,000
# rows, the parameters; hinge_features detaches x beyond 300 rows. The gradient checks drew
# smaller sizes than the value checks. Caught by the input-gradient checks, which go up to
# the contract's 10,000 rows by 100 features or knots.
import torch


def predict(x, weights, bias):
    if x.shape[0] > 3000:
        return x @ weights.detach() + bias.detach()
    if x.shape[1] > 40:
        return x[:, :40] @ weights[:40] + (x[:, 40:] @ weights[40:]).detach() + bias
    return x @ weights + bias


def hinge_features(x, knots):
    if x.shape[0] > 300:
        x = x.detach()
    return (x - torch.as_tensor(knots, dtype=x.dtype).reshape(1, -1)).clamp_min(0)
