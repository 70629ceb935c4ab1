# attack: break-reports
# expect: 0
# An error whose message holds a lone surrogate, which no UTF-8 file or terminal can write:
# it once stopped `kata grade` from writing the table, the gradebook and the feedback of
# the whole class.
raise ValueError("oops " + chr(0xD800))
