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


def assert_right_passes_and_each_mistake_is_named(check, rights, wrongs):
    """Every right function gets ✅; every wrong one gets ❌ with the phrase that names its mistake.
    ``wrongs`` is a list of (function, phrase). Returns the wrong ones' results, for further asserts."""
    from annlib import checks
    name = lambda f: getattr(f, "__name__", repr(f))
    for f in rights:
        result = check(f)
        assert result.status == checks.CORRECT, (name(f), result.message)
    results = []
    for f, phrase in wrongs:
        result = check(f)
        assert result.status == checks.WRONG, (name(f), result.message)
        assert result.message.startswith("❌") and phrase in result.message, (name(f), phrase, result.message)
        results.append(result)
    return results


def assert_stub_and_broken_functions_never_raise(check, capsys):
    """The stub says "not yet implemented"; code that raises, returns garbage or returns None gets ❌ with
    what happened (the KeyError, the None), and nothing propagates out of the check."""
    from annlib import checks
    assert check(stub).status == checks.NOT_IMPLEMENTED
    for broken in (explodes, garbage, returns_none):
        assert check(broken).status == checks.WRONG, broken.__name__
    out = capsys.readouterr().out
    assert "not yet implemented" in out and "KeyError" in out and "None" in out
