"""Lesson 03 twin: the article's Example 2, writing through a memoryview."""
byte_array = bytearray('ABC', 'utf-8')
print('Before updation:', byte_array)
mem_view = memoryview(byte_array)
mem_view[1] = 90
print('After updation:', byte_array)
