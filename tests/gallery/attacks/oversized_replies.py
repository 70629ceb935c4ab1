# attack: protocol
# expect: 0
# Answers probes with the largest lines the checking side accepts (a 60 MB tensor of 30
# million zeros), JSON nested 100,000 deep, integers with 400 digits and NaN: memory and
# parser errors in the grader's checking process rather than in the confined worker.
import itertools
import os

import kata.worker.serve as serve

HUGE = (
    b'{"status":"returned","value":{"tensor":{"dtype":"float32","shape":[30000000],"values":['
    + b"0," * 29999999
    + b"0]}}}\n"
)
DEEP = b'{"status":"returned","value":' + b'{"list":[' * 100000 + b"]}" * 100000 + b"}\n"
BIG = (
    b'{"status":"returned","value":{"tensor":{"dtype":"float32","shape":[1],"values":['
    + b"9" * 400
    + b"]}}}\n"
)
NAN = b'{"status":"returned","value":{"tensor":{"dtype":"float32","shape":[],"values":[NaN]}}}\n'
_replies = itertools.cycle([HUGE, DEEP, BIG, NAN])


def _send_raw(channel, message):
    data = next(_replies) if "status" in message else serve.encode_line(message)
    while data:
        data = data[os.write(channel, data) :]


serve._send = _send_raw


def _stub(*args):
    raise NotImplementedError("not written")


predict = mse = mae = step = zero_grads = hinge_features = _stub
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
