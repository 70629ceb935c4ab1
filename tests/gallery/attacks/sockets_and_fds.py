# attack: sockets
# expect: 0
# Tries TCP and UDP to localhost and the host's ports, abstract and path UNIX sockets
# (a grader or system daemon to talk to), and reports what answered.
import socket

TRIES = {}
for port in (22, 80, 2024, 8000, 8080, 8888):
    s = socket.socket()
    s.settimeout(0.2)
    try:
        s.connect(("127.0.0.1", port))
        TRIES[f"tcp {port}"] = "connected"
    except OSError as error:
        TRIES[f"tcp {port}"] = error.strerror or str(error)
    s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    u.sendto(b"x", ("127.0.0.1", 53))
    TRIES["udp"] = "sent"
except OSError as error:
    TRIES["udp"] = error.strerror
for name in ("\0kata", "/tmp/.X11-unix/X0", "/run/systemd/private", "/var/run/docker.sock"):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(name)
        TRIES[name] = "connected"
    except OSError as error:
        TRIES[name] = error.strerror


def _report(*args):
    raise RuntimeError(repr(TRIES)[:1000])


predict = mse = mae = step = zero_grads = hinge_features = _report
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
