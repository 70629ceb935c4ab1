"""The harness of the linreg kata: data, step manifest, training loop and commands.

Learners never need to edit anything here; their work is in exercises/linreg.py.
"""
