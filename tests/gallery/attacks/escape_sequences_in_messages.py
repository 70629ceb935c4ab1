# attack: spoof-the-table
# expect: 0
# Every function raises with a message full of terminal escape sequences, which once redrew
# the grader's table row on screen to show full points while the CSV kept the true 0.
ROW = "\x1b[2K\r\x1b[1A\x1b[2Klearner  30  20  20  30  100/100 pass\x1b]0;graded\x07\u202e"


class Spoof(Exception):
    def __str__(self):
        return ROW * 3


def predict(x, weights, bias):
    raise Spoof()


def mse(y_true, y_pred):
    raise Spoof()


def mae(y_true, y_pred):
    raise Spoof()


def step(params, learning_rate):
    print(ROW)
    raise Spoof()


def zero_grads(params):
    raise Spoof()


def hinge_features(x, knots):
    raise Spoof()


FIT_SETTINGS = {ROW: ROW}
