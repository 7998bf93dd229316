"""The notebook 1 exercise checks accept right answers, reject typical wrong ones, and never raise."""
import numpy as np
import pytest

from annlib import checks
from student_fakes import stub, explodes, garbage, returns_none


@pytest.fixture(autouse=True)
def quiet(capsys):
    yield
    capsys.readouterr()


# -- count_parameters --------------------------------------------------------------------------------
def count_right(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def count_right_numpy(sizes):
    s = np.array(sizes)
    return int(np.sum(s[:-1] * s[1:]) + np.sum(s[1:]))


def count_no_biases(sizes):
    return sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def count_input_biases(sizes):          # a bias for every layer, the input layer included
    return count_no_biases(sizes) + sum(sizes)


def count_neurons(sizes):
    return sum(sizes)


@pytest.mark.parametrize("right", [count_right, count_right_numpy])
def test_count_parameters_accepts_right_answers(right):
    result = checks.check_count_parameters(right)
    assert result.status == checks.CORRECT and result.passed


@pytest.mark.parametrize("wrong", [count_no_biases, count_input_biases, count_neurons])
def test_count_parameters_rejects_typical_mistakes(wrong):
    result = checks.check_count_parameters(wrong)
    assert result.status == checks.WRONG
    assert "expected" in result.message


def test_count_parameters_reports_the_input_and_both_numbers(capsys):
    result = checks.check_count_parameters(count_no_biases)
    assert "sizes = [2, 3, 1]" in result.message and "13" in result.message and "9" in result.message
    assert capsys.readouterr().out.strip() == result.message.strip()     # what it returns is what it printed


# -- layer_output_shape ------------------------------------------------------------------------------
def shape_right(x_shape, W_shape):
    return (x_shape[0], W_shape[1])


def shape_by_computing(x_shape, W_shape):
    return (np.zeros(x_shape) @ np.zeros(W_shape)).shape


def shape_of_W(x_shape, W_shape):
    return tuple(W_shape)


def shape_transposed(x_shape, W_shape):
    return (W_shape[1], x_shape[0])


def shape_inner(x_shape, W_shape):
    return (x_shape[0], x_shape[1])


@pytest.mark.parametrize("right", [shape_right, shape_by_computing, lambda x, w: [x[0], w[1]]])
def test_layer_output_shape_accepts_right_answers(right):
    assert checks.check_layer_output_shape(right).passed


@pytest.mark.parametrize("wrong", [shape_of_W, shape_transposed, shape_inner, lambda x, w: x[0] * w[1]])
def test_layer_output_shape_rejects_typical_mistakes(wrong):
    assert checks.check_layer_output_shape(wrong).status == checks.WRONG


# -- xavier_uniform ----------------------------------------------------------------------------------
def xavier_right(n_in, n_out, rng):
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def xavier_right_other_draw(n_in, n_out, rng):       # a different but equally right way to draw
    limit = np.sqrt(6 / (n_in + n_out))
    return (2 * rng.random((n_in, n_out)) - 1) * limit


def xavier_normal(n_in, n_out, rng):                  # right variance, wrong distribution
    return rng.normal(0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))


def he_uniform(n_in, n_out, rng):                     # only fan_in
    limit = np.sqrt(6 / n_in)
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def lecun_uniform(n_in, n_out, rng):                  # inside the bounds, variance 1/n_in: off by ~12%
    limit = np.sqrt(3 / n_in)
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def pushed_to_edges(n_in, n_out, rng):               # fills the bounds, but too much mass near ±limit
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.choice([-1.0, 1.0], size=(n_in, n_out)) * limit * np.sqrt(rng.random((n_in, n_out)))


def no_sqrt(n_in, n_out, rng):
    limit = 6 / (n_in + n_out)
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def half_interval(n_in, n_out, rng):                  # forgot the negative side
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(0, limit, size=(n_in, n_out))


def triangular(n_in, n_out, rng):                     # bounded, right variance, but not uniform
    limit = np.sqrt(6 / (n_in + n_out))
    w = rng.triangular(-limit, 0, limit, size=(n_in, n_out))
    return w * np.sqrt((2 / (n_in + n_out)) / w.var())


def transposed(n_in, n_out, rng):
    return xavier_right(n_out, n_in, rng)


def global_rng(n_in, n_out, rng):
    limit = np.sqrt(6 / (n_in + n_out))
    return np.random.uniform(-limit, limit, size=(n_in, n_out))


def fixed_seed(n_in, n_out, rng):                     # ignores the rng it is given
    return xavier_right(n_in, n_out, np.random.default_rng(0))


def integers(n_in, n_out, rng):
    return np.zeros((n_in, n_out), dtype=int)


@pytest.mark.parametrize("right", [xavier_right, xavier_right_other_draw])
def test_xavier_uniform_accepts_right_answers(right):
    result = checks.check_xavier_uniform(right)
    assert result.status == checks.CORRECT, result.message


@pytest.mark.parametrize("wrong, words", [
    (xavier_normal, "never leaves"), (he_uniform, "never leaves"), (no_sqrt, "fill"),
    (lecun_uniform, "fill"), (pushed_to_edges, "variance"), (half_interval, "mean"), (triangular, "uniform"), (transposed, "shape"),
    (global_rng, "default_rng(42)"), (fixed_seed, "seeds 42 and 43"), (integers, "finite floats"),
])
def test_xavier_uniform_rejects_typical_mistakes(wrong, words):
    result = checks.check_xavier_uniform(wrong)
    assert result.status == checks.WRONG
    assert words in result.message, result.message


def test_xavier_uniform_check_agrees_with_annlib():
    import annlib as A
    init = A.get_initializer("xavier_uniform")
    assert checks.check_xavier_uniform(lambda n_in, n_out, rng: init((n_in, n_out), rng)).passed


# -- all nb1 checks: stubs, crashes, garbage ---------------------------------------------------------
NB1_CHECKS = [checks.check_count_parameters, checks.check_layer_output_shape, checks.check_xavier_uniform]


@pytest.mark.parametrize("check", NB1_CHECKS)
def test_stub_is_reported_as_not_implemented(check):
    result = check(stub)
    assert result.status == checks.NOT_IMPLEMENTED
    assert "not yet implemented" in result.message


@pytest.mark.parametrize("check", NB1_CHECKS)
@pytest.mark.parametrize("bad", [explodes, garbage, returns_none, lambda *a: np.full(3, np.nan),
                                 lambda *a: 1 / 0])
def test_never_raises_on_broken_functions(check, bad):
    result = check(bad)
    assert result.status == checks.WRONG
    assert result.message.startswith("❌")
