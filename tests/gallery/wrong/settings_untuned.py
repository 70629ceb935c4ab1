# wrong: FIT_SETTINGS
# diagnosis: still improving at the end: more iterations or a larger learning rate
# Step 2 left at the starting settings.

from solutions.linreg import *  # noqa: F403  (the reference for everything else)

FIT_SETTINGS = {**FIT_SETTINGS, 2: {"learning_rate": 0.1, "num_iter": 50}}
