# attack: network
# expect: 0
# needs: sandbox
# Sends its environment to a local port and looks for a grader socket.


import os
import socket

for port in (22, 80, 8000, 8080):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(repr(dict(os.environ)).encode())
    except OSError:
        pass
