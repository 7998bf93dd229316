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


def count_biases_per_input(sizes):      # n_in biases per layer instead of n_out
    return sum(n_in * n_out + n_in for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def count_only_biases(sizes):
    return sum(sizes[1:])


def count_product(sizes):
    return int(np.prod(sizes))


def count_product_of_sums(sizes):
    return sum(sizes[:-1]) * sum(sizes[1:]) + sum(sizes[1:])


def count_first_layer(sizes):
    return sizes[0] * sizes[1] + sizes[1]


def count_last_layer(sizes):
    return sizes[-2] * sizes[-1] + sizes[-1]


def count_loop_stops_early(sizes):      # range(len(sizes) - 2): the output layer is never counted
    return sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes) - 2))


def count_loop_starts_at_1(sizes):
    return sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(1, len(sizes) - 1))


def count_wraps_around(sizes):          # sizes[i - 1] at i = 0 is the last size: a layer output -> input
    return sum(sizes[i - 1] * sizes[i] + sizes[i] for i in range(len(sizes)))


def count_loop_too_far(sizes):          # sizes[i + 1] for the last i: IndexError
    return sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes)))


def count_per_layer_list(sizes):
    return [n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def count_weights_and_biases_apart(sizes):
    return [count_no_biases(sizes), sum(sizes[1:])]


def count_float(sizes):                  # right number, but a float
    return float(count_right(sizes))


def count_numpy_float(sizes):
    s = np.array(sizes, dtype=float)
    return np.sum(s[:-1] * s[1:] + s[1:])


def count_changes_its_list(sizes):      # right, but pops the list it is given
    total = 0
    while len(sizes) > 1:
        n_in = sizes.pop(0)
        total += n_in * sizes[0] + sizes[0]
    return total


@pytest.mark.parametrize("right", [count_right, count_right_numpy, count_changes_its_list])
def test_count_parameters_accepts_right_answers(right):
    result = checks.check_count_parameters(right)
    assert result.status == checks.CORRECT and result.passed, result.message


@pytest.mark.parametrize("wrong, words", [
    (count_no_biases, "the biases are missing"),
    (count_biases_per_input, "n_in biases per layer"),
    (count_input_biases, "the input layer got biases"),
    (count_neurons, "number of neurons"),
    (count_only_biases, "only the biases"),
    (count_product, "product of all the sizes"),
    (count_product_of_sums, "multiplied the sums"),
    (count_first_layer, "only the first layer"),
    (count_last_layer, "only the last layer"),
    (count_loop_stops_early, "one layer too few: the last layer"),
    (count_loop_starts_at_1, "one layer too few: the first layer"),
    (count_wraps_around, "one layer too many"),
    (count_loop_too_far, "one layer too far"),
    (count_per_layer_list, "one number per layer"),
    (count_weights_and_biases_apart, "weights and the biases came back separately"),
    (count_float, "not an int"),
    (count_numpy_float, "not an int"),
])
def test_count_parameters_names_typical_mistakes(wrong, words):
    result = checks.check_count_parameters(wrong)
    assert result.status == checks.WRONG
    assert words in result.message, result.message


def test_count_parameters_reports_the_input_and_both_numbers(capsys):
    result = checks.check_count_parameters(count_no_biases)
    assert "sizes = [2, 4, 3, 1]" in result.message and "31" in result.message and "23" in result.message
    assert result.message.index("biases are missing") < result.message.index("31")    # diagnosis, then numbers
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


def shape_inner_dims(x_shape, W_shape):
    return (x_shape[1], W_shape[0])


def shape_of_W_transposed(x_shape, W_shape):
    return (W_shape[1], W_shape[0])


def shape_joined(x_shape, W_shape):
    return x_shape + W_shape


def shape_of_b(x_shape, W_shape):
    return (W_shape[1],)


def shape_number_of_entries(x_shape, W_shape):
    return x_shape[0] * W_shape[1]


def shape_floats(x_shape, W_shape):
    return (x_shape[0] / 1, W_shape[1] / 1)


def shape_as_list(x_shape, W_shape):
    return [x_shape[0], W_shape[1]]


@pytest.mark.parametrize("right", [shape_right, shape_by_computing, shape_as_list])
def test_layer_output_shape_accepts_right_answers(right):
    assert checks.check_layer_output_shape(right).passed


def test_a_list_passes_with_a_note_that_shapes_are_tuples(capsys):
    result = checks.check_layer_output_shape(shape_as_list)
    assert result.passed and "Note" in result.message and "tuple" in result.message
    assert capsys.readouterr().out.strip() == result.message.strip()
    assert "Note" not in checks.check_layer_output_shape(shape_right).message


@pytest.mark.parametrize("wrong, words", [
    (shape_of_W, "shape of W"),
    (shape_transposed, "swapped"),
    (shape_inner, "shape of X"),
    (shape_inner_dims, "inner dimensions"),
    (shape_of_W_transposed, "shape of Wᵀ"),
    (shape_joined, "joined"),
    (shape_of_b, "shape of b"),
    (shape_number_of_entries, "one number came back"),
    (lambda x, w: x[0] * w[1], "one number came back"),
    (shape_floats, "not ints"),
])
def test_layer_output_shape_names_typical_mistakes(wrong, words):
    result = checks.check_layer_output_shape(wrong)
    assert result.status == checks.WRONG
    assert words in result.message, result.message


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


def _uniform(limit_of, rng, n_in, n_out):
    limit = limit_of(n_in, n_out)
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def std_as_limit(n_in, n_out, rng):                  # sqrt(2 / (n_in + n_out)): Xavier's std, not its limit
    return _uniform(lambda i, o: np.sqrt(2 / (i + o)), rng, n_in, n_out)


def one_over_sqrt_n_in(n_in, n_out, rng):
    return _uniform(lambda i, o: 1 / np.sqrt(i), rng, n_in, n_out)


def only_n_out(n_in, n_out, rng):
    return _uniform(lambda i, o: np.sqrt(6 / o), rng, n_in, n_out)


def sqrt_of_6_only(n_in, n_out, rng):
    return _uniform(lambda i, o: np.sqrt(6) / (i + o), rng, n_in, n_out)


def no_parentheses(n_in, n_out, rng):
    return _uniform(lambda i, o: np.sqrt(6 / i + o), rng, n_in, n_out)


def no_parentheses_product(n_in, n_out, rng):
    return _uniform(lambda i, o: np.sqrt(6 / i * o), rng, n_in, n_out)


def variance_as_limit(n_in, n_out, rng):
    return _uniform(lambda i, o: 2 / (i + o), rng, n_in, n_out)


def random_minus_half(n_in, n_out, rng):            # spans (-limit/2, limit/2)
    return (rng.random((n_in, n_out)) - 0.5) * np.sqrt(6 / (n_in + n_out))


def not_scaled(n_in, n_out, rng):
    return rng.uniform(-1, 1, size=(n_in, n_out))


def shifted(n_in, n_out, rng):                      # (0, 2 limit) - limit/2: not centred
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.random((n_in, n_out)) * 2 * limit - limit / 2


def only_random(n_in, n_out, rng):                  # U(0, 1)
    return rng.random((n_in, n_out))


def he_normal(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))


def normal_with_the_limit(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(6 / (n_in + n_out)), size=(n_in, n_out))


def standard_normal(n_in, n_out, rng):
    return rng.standard_normal((n_in, n_out))


def sum_of_two(n_in, n_out, rng):                   # bounded by ±limit, but triangular
    limit = np.sqrt(6 / (n_in + n_out))
    return (rng.uniform(-limit, limit, (n_in, n_out)) + rng.uniform(-limit, limit, (n_in, n_out))) / 2


def float_zeros(n_in, n_out, rng):
    return np.zeros((n_in, n_out))


def constant_limit(n_in, n_out, rng):
    return np.full((n_in, n_out), np.sqrt(6 / (n_in + n_out)))


def no_size(n_in, n_out, rng):                      # one number
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-limit, limit)


def size_as_two_arguments(n_in, n_out, rng):
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-limit, limit, n_in, n_out)


def random_two_arguments(n_in, n_out, rng):
    return (2 * rng.random(n_in, n_out) - 1) * np.sqrt(6 / (n_in + n_out))


def old_interface(n_in, n_out, rng):
    return (2 * rng.rand(n_in, n_out) - 1) * np.sqrt(6 / (n_in + n_out))


def new_generator_every_call(n_in, n_out, rng):
    return xavier_right(n_in, n_out, np.random.default_rng())


def copy_of_the_rng(n_in, n_out, rng):              # reproducible, seed-dependent, but leaves rng untouched
    import copy
    return xavier_right(n_in, n_out, copy.deepcopy(rng))


def integer_draw(n_in, n_out, rng):
    return rng.integers(-1, 2, size=(n_in, n_out))


def xavier_right_transposed_draw(n_in, n_out, rng):   # right: drawn (n_out, n_in), then transposed
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_out, n_in)).T


def xavier_right_seeded_from_rng(n_in, n_out, rng):   # right: a generator seeded from the rng given
    return xavier_right(n_in, n_out, np.random.default_rng(rng.integers(2 ** 32)))


@pytest.mark.parametrize("right", [xavier_right, xavier_right_other_draw, xavier_right_transposed_draw,
                                   xavier_right_seeded_from_rng])
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


@pytest.mark.parametrize("wrong, words", [
    (xavier_normal, "Xavier *normal*"),
    (he_normal, "He normal"),
    (normal_with_the_limit, "standard deviation is the limit"),
    (standard_normal, "standard normal"),
    (he_uniform, "He uniform"),
    (lecun_uniform, "LeCun uniform"),
    (std_as_limit, "the standard deviation of Xavier's weights, used as the limit"),
    (one_over_sqrt_n_in, "sqrt(1 / n_in)"),
    (only_n_out, "n_in is missing"),
    (no_sqrt, "the square root is missing"),
    (sqrt_of_6_only, "the square root covers only the 6"),
    (no_parentheses, "(6 / n_in) + n_out"),
    (no_parentheses_product, "(6 / n_in) · n_out"),
    (variance_as_limit, "the variance Var(W) itself"),
    (random_minus_half, "(-limit/2, limit/2)"),
    (not_scaled, "not scaled by the limit"),
    (shifted, "not centred at 0"),
    (half_interval, "all values are ≥ 0"),
    (only_random, "all values are ≥ 0"),
    (pushed_to_edges, "too many values near ±limit"),
    (sum_of_two, "too many values near 0"),
    (triangular, "beyond ±limit"),
    (transposed, "the transpose"),
    (float_zeros, "all zeros"),
    (constant_limit, "the same number"),
    (integers, "finite floats"),
    (integer_draw, "rng.integers draws whole numbers"),
    (no_size, "one number came back"),
    (size_as_two_arguments, "size=(n_in, n_out), not n_in, n_out as two arguments"),
    (random_two_arguments, "rng.random((n_in, n_out))"),
    (old_interface, "old interface"),
    (global_rng, "numpy's global generator"),
    (new_generator_every_call, "do not come from the rng"),
    (fixed_seed, "ignores the rng"),
    (copy_of_the_rng, "drew nothing from it"),
])
def test_xavier_uniform_names_typical_mistakes(wrong, words):
    result = checks.check_xavier_uniform(wrong)
    assert result.status == checks.WRONG
    assert words in result.message, result.message


def test_xavier_uniform_says_the_mistake_before_the_numbers():
    message = checks.check_xavier_uniform(he_uniform).message
    assert message.index("He uniform") < message.index("largest |W|") < message.index("variance")


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


# -- what is printed -----------------------------------------------------------------------------------
@pytest.mark.parametrize("check, fn", [(checks.check_count_parameters, count_float),
                                       (checks.check_layer_output_shape, shape_floats)])
def test_a_right_value_of_the_wrong_type_prints_no_tick(check, fn, capsys):
    result = check(fn)
    out = capsys.readouterr().out
    assert result.status == checks.WRONG and "✅" not in out and out.strip() == result.message.strip()


def test_the_students_own_prints_are_kept(capsys):
    def chatty(sizes):
        print("my sizes:", sizes)
        return count_right(sizes)
    result = checks.check_count_parameters(chatty)
    out = capsys.readouterr().out
    assert result.passed and out.count("my sizes:") == 6 and out.rstrip().endswith(result.message)
