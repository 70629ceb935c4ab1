# attack: resources
# expect: 0
# needs: sandbox
# Allocates memory without end at import.


blocks = []
while True:
    blocks.append(bytearray(256 << 20))
