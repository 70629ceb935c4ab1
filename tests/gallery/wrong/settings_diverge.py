# wrong: FIT_SETTINGS
# diagnosis: the fit diverged: lower the learning rate
# A learning rate so large that step 2's fit blows up.

from solutions.linreg import *  # noqa: F403  (the reference for everything else)

FIT_SETTINGS = {**FIT_SETTINGS, 2: {"learning_rate": 5.0, "num_iter": 500}}
