"""Zero to Hero, executable: the tested code behind the course notes.

Each lecture's tutorial builds a piece in the open, the way the lecture does, and then imports
the version kept here, where it is typed, documented and tested.
"""

__version__ = "0.1.0"
