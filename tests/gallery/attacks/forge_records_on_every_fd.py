# attack: forge-results
# expect: 0
# Writes passing records and a 'finished' line to every descriptor 0-63, then exits.
import json
import os

record = {"name": "x", "step": 1, "function": None, "status": "passed", "kind": "passed", "message": ""}
for fd in range(64):
    try:
        os.write(fd, (json.dumps({"record": record}) + "\n" + '{"finished": true}\n').encode())
    except OSError:
        pass
os._exit(0)
