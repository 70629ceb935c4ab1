# attack: forge-output
# expect: 0
# Error messages carrying newlines, carriage returns and ANSI escapes that draw a fake
# "100/100 pass" row and hide the real lines in --step output and terminal logs.
FAKE = (
    "\r\x1b[2K\x1b[1A\x1b[2K  \n  submission  step1  step2  step3  step4   total    status\n"
    "  linreg.py      30     20     20     30  100/100  pass\x1b[8m"
)


def _lie(*args):
    raise RuntimeError(FAKE)


predict = mse = mae = step = zero_grads = hinge_features = _lie
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
