"""Tests for micrograd.stepper: expressions become engine graphs, and stepping equals backward()."""

import pytest

from micrograd.engine import Value, topological_order
from micrograd.stepper import RULES, backward_steps, expression_graph, parse_inputs, rule_of

EXPRESSIONS = [
    ("a*b + a", "a=2, b=-3"),
    ("a + a", "a=3"),
    ("a - b / a + tanh(a*b)**2 + 2*exp(-a)", "a=2, b=-3"),
    ("(x*w + c).tanh() * relu(x) - log(x) + sigmoid(w)", "x=1.5, w=-0.4, c=0.3"),
    ("a ** b + a * a * a", "a=1.7, b=0.5"),
]


def by_hand(expression: str, inputs: dict[str, float]) -> Value:
    """The same expression written with Values directly (eval over Value leaves)."""
    from micrograd.stepper import FUNCTIONS

    leaves = {name: Value(v) for name, v in inputs.items()}
    functions = {name: (lambda f: lambda x: getattr(x, f)())(name) for name in FUNCTIONS}
    return eval(expression, {"__builtins__": {}}, {**leaves, **functions})


@pytest.mark.parametrize(("expression", "inputs"), EXPRESSIONS)
def test_stepping_leaves_backwards_gradients(expression, inputs):
    values = parse_inputs(inputs)
    root = expression_graph(expression, values)
    steps = backward_steps(root)
    reference = by_hand(expression, values)
    reference.backward()
    stepped = [node.grad for node in topological_order(root)]
    assert stepped == [node.grad for node in topological_order(reference)]
    assert root.data == reference.data
    # one step per node with children, plus the seed
    assert len(steps) == 1 + sum(1 for node in topological_order(root) if node._prev)


def test_each_step_records_its_changes_in_reverse_topological_order():
    root = expression_graph("a*b + a", {"a": 2.0, "b": -3.0})
    order = topological_order(root)
    steps = backward_steps(root)
    positions = [order.index(step.node) for step in steps[1:]]
    assert positions == sorted(positions, reverse=True)
    plus, times = steps[1], steps[2]
    assert [(c.child.label, c.before, c.after) for c in plus.changes] == [("a * b", 0.0, 1.0), ("a", 0.0, 1.0)]
    assert [(c.child.label, c.before, c.after) for c in times.changes] == [("a", 1.0, -2.0), ("b", 0.0, 2.0)]


def test_a_child_used_twice_by_one_node_gets_two_adds():
    (_seed, add) = backward_steps(expression_graph("a + a", {"a": 3.0}))
    (change,) = add.changes
    assert (change.before, change.after, change.times) == (0.0, 2.0, 2)


def test_stepping_twice_gives_the_same_steps():
    root = expression_graph("a*b + a", {"a": 2.0, "b": -3.0})
    first = [[(c.before, c.after) for c in s.changes] for s in backward_steps(root)]
    second = [[(c.before, c.after) for c in s.changes] for s in backward_steps(root)]
    assert first == second


def test_every_operation_an_expression_can_make_has_a_rule():
    expression = "a - b / a + tanh(a)**2 + exp(a) * log(a) + relu(b) + sigmoid(a) + a**b"
    root = expression_graph(expression, {"a": 2.0, "b": 0.5})
    for node in topological_order(root):
        if node._prev:
            assert not rule_of(node._op).startswith("the engine's rule"), node._op
    assert rule_of("**3") == RULES["**k"]


def test_labels_name_every_node():
    root = expression_graph("a - b", {"a": 1.0, "b": 2.0})
    assert [n.label for n in topological_order(root)] == ["a", "b", "-1", "b * -1", "a - b"]


@pytest.mark.parametrize(
    ("expression", "inputs", "message"),
    [
        ("a +", "a=1", "not a valid expression"),
        ("a @ b", "a=1, b=2", "not allowed"),
        ("c * 2", "a=1", "'c' has no value"),
        ("open(a)", "a=1", "unknown function"),
        ("tanh(a, a)", "a=1", "write a function call as"),
        ("2 * 3", "", "uses no input"),
        ("a.__class__", "a=1", "not allowed"),
    ],
)
def test_bad_expressions_are_refused_with_a_reason(expression, inputs, message):
    with pytest.raises(ValueError, match=message):
        expression_graph(expression, parse_inputs(inputs))


@pytest.mark.parametrize(("text", "message"), [("a", "name=number"), ("1a=2", "name=number"), ("a=x", "not a number"),
                                               ("a=inf", "finite"), ("a=1, a=2", "twice")])
def test_bad_inputs_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_inputs(text)
