# attack: dos-shared-zygote
# expect: 0
# Builds a 1200-level folder chain in its scratch folder, then ends its worker. The zygote's
# shutil.rmtree of that scratch recurses past Python's limit: RecursionError ends the zygote,
# which every other submission of the same run needs for its worker.
import os

fd = os.open(".", os.O_RDONLY)
for _ in range(1200):
    os.mkdir("d", dir_fd=fd)
    inner = os.open("d", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = inner
os._exit(0)
