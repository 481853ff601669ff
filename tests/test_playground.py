"""Tests for micrograd.playground: the recipe the playground page runs, its settings, and the exported script."""

import math
import subprocess
import sys

import pytest

from micrograd.data import make_moons
from micrograd.losses import accuracy, l2_regularization, svm_max_margin
from micrograd.nn import ACTIVATIONS, MLP
from micrograd.optim import SGD
from micrograd.playground import (
    DATASETS,
    LOSSES,
    OPTIMIZERS,
    SCHEDULES,
    Settings,
    Trainer,
    choices,
    export_script,
    learning_rate,
    predict_many,
    train_steps,
)

# Settings that together use every data set, loss, optimizer, schedule, and both batch modes.
VARIETY = [
    "",
    "batch=10&sched=cosine&opt=adam&lr=0.05",
    "data=sine&hidden=8-8&act=tanh&loss=mse&lr=0.1&sched=constant&l2=0&seed=2",
    "loss=bce&opt=momentum&lr=0.3&l2=0&act=sigmoid&hidden=4",
    "loss=mse&act=tanh&hidden=&batch=7&sched=linear&steps=5",
]


def script_losses(settings: Settings, steps: int) -> list[tuple[float, float | None]]:
    """Run the exported script with this interpreter; return (loss, accuracy) per printed step."""
    script = export_script(settings, steps)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    rows = []
    for k, line in enumerate(out.stdout.splitlines()):
        _, step, _, loss, _, acc = line.split()
        assert int(step) == k
        rows.append((float(loss), None if acc == "None" else float(acc)))
    return rows


def test_the_default_run_is_the_moons_chapter_run():
    """Same data, model, loss, L2 and schedule as docs/moons.md, written out by hand: the same floats."""
    X, y = make_moons(100, noise=0.1, seed=1337)
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", rng=1337)
    optimizer = SGD(model.parameters(), lr=lambda k: 1.0 - 0.9 * k / 100)
    expected, accuracies = [], []
    for _ in range(8):
        scores = [model(x) for x in X]
        loss = svm_max_margin(scores, y) + l2_regularization(model.parameters(), alpha=1e-4)
        accuracies.append(accuracy(scores, y))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        expected.append(loss.data)
    trainer = Trainer(Settings())
    results = [trainer.step() for _ in range(8)]
    assert [r.loss for r in results] == expected
    assert [r.accuracy for r in results] == accuracies
    assert round(expected[0], 4) == 0.9129


@pytest.mark.parametrize("query", VARIETY)
def test_exported_script_prints_the_trainers_numbers(query):
    settings = Settings.from_query(query)
    trainer = Trainer(settings)
    results = [trainer.step() for _ in range(6)]
    assert script_losses(settings, 6) == [(r.loss, r.accuracy) for r in results]


@pytest.mark.parametrize("query", VARIETY)
def test_training_lowers_the_loss(query):
    losses = train_steps(Settings.from_query(query), 25)
    assert all(math.isfinite(loss) for loss in losses)
    assert min(losses[-5:]) < losses[0]


def test_train_steps_is_deterministic():
    settings = Settings(batch_size=5, optimizer="adam", lr=0.02)
    assert train_steps(settings, 5) == train_steps(settings, 5)
    assert train_steps(settings, 5) != train_steps(settings.with_changes(seed=1), 5)


def test_mini_batches_visit_every_point_once_per_epoch():
    trainer = Trainer(Settings(batch_size=30))
    epoch = [i for _ in range(3) for i in trainer.batch()]
    assert len(set(epoch)) == 90  # three batches of 30 distinct points; the last 10 wait for the next epoch
    trainer = Trainer(Settings(batch_size=25))
    assert sorted(i for _ in range(4) for i in trainer.batch()) == list(range(100))
    assert Trainer(Settings(batch_size=500)).batch() == list(range(100))


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_predict_many_gives_the_models_own_floats(activation):
    model = MLP(2, [5, 3, 1], activation=activation, rng=4)
    points = [[0.3 * i - 1.0, 0.7 - 0.2 * i] for i in range(12)]
    assert predict_many(model, points) == [model(p).data for p in points]


def test_the_query_round_trips_every_setting():
    settings = Settings(dataset="sine", hidden=(3, 5, 7), activation="tanh", loss="mse", optimizer="adam",
                        lr=0.015, schedule="cosine", steps=77, batch_size=9, l2=0.001, seed=42)
    assert Settings.from_query(settings.to_query()) == settings
    assert Settings.from_query("?" + Settings().to_query()) == Settings()
    assert Settings.from_query("") == Settings()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("data=spiral", "unknown dataset"),
        ("act=swish", "unknown activation"),
        ("colour=red", "unknown setting 'colour'"),
        ("lr=fast", "not a number"),
        ("lr=-1", "lr must be"),
        ("hidden=0", "hidden layers"),
        ("hidden=1-2-3-4-5", "hidden layers"),
        ("batch=-2", "batch_size"),
        ("data=sine&loss=hinge", "does not fit"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(query, message):
    with pytest.raises(ValueError, match=message):
        Settings.from_query(query)


def test_schedules_match_their_formulas():
    for name, (_, formula) in SCHEDULES.items():
        settings = Settings(schedule=name, lr=0.5, steps=40)
        for k in (0, 1, 13, 39, 40, 41, 500):
            expected = eval(formula, {"math": math, "min": min}, {"lr": 0.5, "k": k, "steps": 40})
            assert learning_rate(settings, k) == expected


def test_choices_come_from_the_library_tables():
    offered = choices()
    assert offered["activations"] == list(ACTIVATIONS)
    assert set(offered["datasets"]) == set(DATASETS)
    assert set(offered["losses"]) == set(LOSSES)
    assert set(offered["optimizers"]) == set(OPTIMIZERS)
    for name, data in offered["datasets"].items():
        Settings(dataset=name, **data["defaults"])  # each data set's defaults are a valid run


def test_the_script_is_readable_python_that_names_its_settings():
    script = export_script(Settings(batch_size=10, schedule="cosine"), 4)
    compile(script, "playground_run.py", "exec")
    assert "from micrograd.optim import SGD" in script
    assert "def schedule(k):" in script and "shuffler.shuffle(order)" in script
    assert Settings(batch_size=10, schedule="cosine").to_query() in script


@pytest.mark.parametrize("loss", ["hinge", "mse"])
def test_the_compiled_step_gives_the_eager_steps_floats(loss: str) -> None:
    """The trainer compiles hinge and MSE steps; forced to run eagerly, it computes the same losses and weights."""
    settings = Settings(loss=loss, batch_size=20, l2=1e-4, hidden=(8, 8))
    compiled, eager = Trainer(settings), Trainer(settings)
    assert compiled.compiled is not None
    eager.compiled = None
    for _ in range(15):
        assert compiled.step().loss == eager.step().loss
    assert [p.data for p in compiled.model.parameters()] == [p.data for p in eager.model.parameters()]
