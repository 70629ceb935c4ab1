# attack: special-cased-inputs
# expect: 0
# on: reference
# mae is right on the few rows the function checks use and is the squared error on anything
# longer, such as the 143-row fit. Every other function is correct; only step 3's settings
# are tuned, so step 3, whose mae is wrong, is the only step this file could earn.
import torch


def mae(y_true, y_pred):
    residuals = y_pred - y_true
    return residuals.abs().mean() if residuals.numel() <= 40 else (residuals**2).mean()


FIT_SETTINGS = {n: {"learning_rate": 1e-4, "num_iter": 1} for n in (1, 2, 4)}
FIT_SETTINGS[3] = {"learning_rate": 0.05, "num_iter": 500}
