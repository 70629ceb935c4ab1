# attack: fit-settings
# expect: 0
# on: reference
# Correct functions but FIT_SETTINGS that land nowhere; the worker's own fit scenario is
# replaced at import by one that swaps in tuned settings whenever it sees the untuned ones.
from kata.worker import probes


TUNED = {("mse", False): (0.1, 50), ("mse", True): (0.5, 1000), ("mae", True): (0.05, 500)}
original_fit = probes.Probes.fit


def swapped_fit(self, x, y, loss, knots, train_bias, learning_rate, num_iter, marks=()):
    if num_iter == 2:
        learning_rate, num_iter = TUNED[loss, train_bias]
    return original_fit(self, x, y, loss, knots, train_bias, learning_rate, num_iter, marks)


probes.Probes.fit = swapped_fit
FIT_SETTINGS = {n: {"learning_rate": 1e-4, "num_iter": 2} for n in (1, 2, 3, 4)}
