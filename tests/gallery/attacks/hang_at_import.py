# attack: resources
# expect: 0
# Never finishes importing.


while True:
    pass
