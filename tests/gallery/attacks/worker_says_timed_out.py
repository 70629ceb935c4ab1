# attack: forge-replies
# expect: 0
# on: reference
# Every reply says "timed out", a status only the checking side may give (it once raised a
# KeyError there, looking for the seconds the call took).
import sys

serve = sys.modules.get("kata.worker.serve")
if serve is not None:
    serve._answer = lambda probes, request, path: {"status": "timed out", "function": "predict"}
