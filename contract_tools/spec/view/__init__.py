"""Reading a Flask view's source: see walk.py."""
