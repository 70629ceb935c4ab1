# attack: special-cased-inputs
# expect: 80
# on: reference
# mae is the MSE for float64 inputs of more than 12 rows, the one corner its own checks once
# never drew from (every long input was float32). Step 3 must earn nothing; the other steps
# do not use mae.
import torch


def mae(y_true, y_pred):
    residuals = y_true - y_pred
    if y_true.dtype == torch.float64 and len(y_true) > 12:
        return (residuals**2).mean()
    return residuals.abs().mean()
