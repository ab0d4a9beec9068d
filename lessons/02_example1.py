"""Lesson 02 twin: the article's Example 1, reading through a memoryview."""
byte_array = bytearray('ABC', 'utf-8')
mv = memoryview(byte_array)
print(mv[0])
print(bytes(mv[0:2]))
print(list(mv[0:3]))
