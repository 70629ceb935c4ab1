# attack: forge-replies
# expect: 0
# on: reference
# Every value and loss crosses as a whole number of 401 digits, too large for a float (the
# checking side once raised an OverflowError on it).
import sys

serve = sys.modules.get("kata.worker.serve")
if serve is not None:
    _answer = serve._answer

    def _huge(probes, request, path):
        reply = _answer(probes, request, path)
        for key in ("value", "loss", "weights", "bias", "features"):
            if key in reply:
                reply[key] = {"number": 10**400}
        if "losses" in reply:
            reply["losses"] = [10**400]
        return reply

    serve._answer = _huge
