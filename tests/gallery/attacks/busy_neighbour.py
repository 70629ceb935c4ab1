# attack: busy-neighbour
# expect: 0
# on: reference
# graded: apart
# Correct functions, but 64 processes kept busy for as long as its worker lives, and fits of
# 20000 iterations that keep the worker alive: a submission graded at the same time gets a
# sliver of the CPU and runs out of its time limits. That neighbour must still get all its
# points (it is graded again, alone); this one runs out of time even alone, and earns
# nothing. Graded beside a correct submission with a short --timeout (tests/selfcheck).
import os

for _ in range(64):
    try:
        if os.fork() == 0:
            os.setsid()  # a session of its own: the kernel's per-session fairness then counts each apart
            while True:
                pass
    except OSError:
        break

FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 20000} for n in (1, 2, 3, 4)}
