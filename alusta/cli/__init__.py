"""Click command groups, one module per feature; publish.py adds them to its group.

Each command parses options, calls one library function and echoes the result.
"""
