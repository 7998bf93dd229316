"""Stand-ins for a student's exercise function, shared by the tests of every notebook's checks."""


def stub(*args, **kwargs):
    """The exercise as handed out: not written yet."""
    raise NotImplementedError


def explodes(*args, **kwargs):
    """Code that fails with some other error."""
    raise KeyError("something else")


def garbage(*args, **kwargs):
    """Code that returns something that is not an array at all."""
    return "forty-two"


def returns_none(*args, **kwargs):
    """Code that forgot its return statement."""
    return None


def flat(net):
    """All of a network's parameters as one new flat array (a snapshot, for comparing weights)."""
    import numpy as np
    return np.concatenate([p.ravel() for p in net.parameters()])
