# attack: resources
# expect: 0
# needs: sandbox
# Leaves System V shared memory behind (key 0x6b617461, 32 MiB, touched), which would hold
# host memory after the grader exits if the worker shared the host's IPC namespace.
import ctypes
import mmap

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
SIZE = 32 << 20
segment = libc.shmget(0x6B617461, ctypes.c_size_t(SIZE), 0o1000 | 0o600)
if segment >= 0:
    address = libc.shmat(segment, None, 0)
    if address not in (None, ctypes.c_void_p(-1).value):
        for offset in range(0, SIZE, mmap.PAGESIZE):
            ctypes.c_char.from_address(address + offset).value = b"x"
        libc.shmdt(ctypes.c_void_p(address))
