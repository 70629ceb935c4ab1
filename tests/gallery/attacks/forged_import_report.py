# attack: forge-replies
# expect: 0
# on: reference
# Writes its own answer to the import on the worker's channel, before the worker's: a frame
# whose "missing" is a number, which the checking side once took apart with a TypeError
# (every check then started another worker).
import os
import stat


def _answers() -> int:
    """The descriptor the worker answers on: its socket, or the pipe it writes to."""
    for fd in range(3, 64):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        if stat.S_ISSOCK(mode):
            return fd
        if stat.S_ISFIFO(mode) and os.get_blocking(fd) and _writable(fd):
            return fd
    return 1


def _writable(fd: int) -> bool:
    try:
        os.write(fd, b"")
        return True
    except OSError:
        return False


os.write(_answers(), b'0 {"imported":true,"missing":5,"settings":null}\n')
