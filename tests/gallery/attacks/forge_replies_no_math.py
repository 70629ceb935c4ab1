# attack: forge-results
# expect: 0
# Replaces the worker's answer loop: every probe "returned", with values copied from the
# request (no formula anywhere), plus an extra reply queued ahead to desynchronise the stream.
import kata.worker.serve as serve


def _answer(probes, request, path):
    args = request.get("args", {})
    first = next((v for v in args.values() if isinstance(v, dict) and "tensor" in v), {"none": True})
    value = first if "tensor" in first else {"none": True}
    return {
        "status": "returned",
        "value": value,
        "loss": {"tensor": {"dtype": "float32", "shape": [], "values": [0.0]}},
        "requires_grad": True,
        "weights_grad": value,
        "bias_grad": value,
        "params": [{"value": value, "trainable": True}],
        "regrads": [value],
        "returned": {"none": True},
        "grads": [value],
        "losses": [0.1],
        "weights": value,
        "bias": value,
        "features": value,
    }


serve._answer = _answer
serve._send(3, {"status": "returned", "value": {"none": True}})  # an unasked-for reply


def _stub(*args):
    raise NotImplementedError("not written")


predict = mse = mae = step = zero_grads = hinge_features = _stub
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
