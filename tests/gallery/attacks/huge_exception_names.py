# attack: break-the-run
# expect: 0
# Every function raises an exception whose class name is 4,000,000 characters long: messages
# are cut short, but a type name once crossed whole, so each failed check sent megabytes that
# the grading process read into a buffer growing by copies. The class must still be graded.
NAME = "E" * 4_000_000
Huge = type(NAME, (Exception,), {})


def predict(x, weights, bias):
    raise Huge("predict")


def mse(y_true, y_pred):
    raise Huge("mse")


def mae(y_true, y_pred):
    raise Huge("mae")


def step(params, learning_rate):
    raise Huge("step")


def zero_grads(params):
    raise Huge("zero_grads")


def hinge_features(x, knots):
    raise Huge("hinge_features")
