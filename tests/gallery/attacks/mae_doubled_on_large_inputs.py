# attack: special-cased-inputs
# expect: 0
# on: reference
# mae is right on the few rows its own checks use and twice the MAE on anything longer: the
# same minimum, so a fit that converges ends where a correct one does. Only step 3's
# settings are tuned, so step 3 is all this file could earn.
import torch


def mae(y_true, y_pred):
    scale = 1.0 if y_true.numel() <= 12 else 2.0
    return scale * (y_pred - y_true).abs().mean()


FIT_SETTINGS = {n: {"learning_rate": 1e-4, "num_iter": 1} for n in (1, 2, 4)}
FIT_SETTINGS[3] = {"learning_rate": 0.02, "num_iter": 5000}
