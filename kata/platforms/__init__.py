"""Where the kata is handed out, and the files each place needs, generated from the manifest:

- github.py       the autograding workflow of a learner's repository (GitHub Actions)
- gradescope.py   Gradescope's autograder zip and its results.json
- classroom50.py  Classroom 50's autograder.py and its result.json

Each grades with the same `python -m kata grade`, so a submission gets the same points per
step everywhere; what they add is the format of the result and what learners may see of it
(kata.feedback).
"""

# When Gradescope shows a test to learners (its results.json `visibility`).
GRADESCOPE_VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
