"""The training recipe behind the site's playground page, and the script that reproduces a run.

A `Settings` names everything a run depends on: the data set, the hidden
layers, the activation, the loss, the optimizer, its learning rate and
schedule, the batch size, the L2 penalty and the seed. `Trainer` trains the
real library with them one step at a time; the page runs this same code in
the browser (Pyodide) and draws what it returns. `export_script` writes a
plain script, using only the library, that performs the same steps and
prints the same losses; the tests run it and compare.

The default settings are the two-moons chapter's run, so the playground
starts where that chapter ends.

Examples:
    >>> from micrograd.playground import Settings, train_steps
    >>> losses = train_steps(Settings(), 3)
    >>> [round(loss, 4) for loss in losses]
    [0.9129, 1.6132, 0.3984]
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode

from micrograd._checks import is_real
from micrograd.activations import get_activation
from micrograd.compile import CompiledLoss, TracingError, compile_loss
from micrograd.data import make_moons, noisy_sine
from micrograd.engine import Value
from micrograd.losses import binary_cross_entropy, l2_regularization, mean_squared_error, svm_max_margin
from micrograd.nn import ACTIVATIONS, MLP
from micrograd.optim import SGD, Adam, Optimizer

Point = list[float]


@dataclass(frozen=True)
class DataSet:
    """A data set the playground offers.

    Attributes:
        title: Its name in the page.
        kind: "classification" (labels -1/+1) or "regression" (one number per point).
        load: Returns `(X, y)`, each point a list of inputs.
        code: The script's lines that make `X` and `y` (with the import they need).
        defaults: Settings that suit it, applied when the reader picks it.

    Examples:
        >>> from micrograd.playground import DATASETS
        >>> X, y = DATASETS["sine"].load()
        >>> DATASETS["sine"].kind, len(X), X[0]
        ('regression', 30, [-3.0])
    """

    title: str
    kind: str
    load: Callable[[], tuple[list[Point], list[float]]]
    code: tuple[str, str]
    defaults: dict[str, Any] = field(default_factory=dict)


def _moons() -> tuple[list[Point], list[float]]:
    X, y = make_moons(100, noise=0.1, seed=1337)
    return X, list(y)


def _sine() -> tuple[list[Point], list[float]]:
    xs, ys = noisy_sine(n=30, noise=0.1, seed=0)
    return [[x] for x in xs], ys


DATASETS: dict[str, DataSet] = {
    "moons": DataSet(
        "Two moons (100 points)", "classification", _moons,
        ("from micrograd.data import make_moons",
         "X, y = make_moons(100, noise=0.1, seed=1337)  # labels -1 and +1"),
        {"hidden": (16, 16), "activation": "relu", "loss": "hinge", "optimizer": "sgd", "lr": 1.0,
         "schedule": "linear", "steps": 100, "batch_size": 0, "l2": 1e-4, "seed": 1337},
    ),
    "sine": DataSet(
        "Noisy sine (30 points)", "regression", _sine,
        ("from micrograd.data import noisy_sine",
         "xs, y = noisy_sine(n=30, noise=0.1, seed=0)\nX = [[x] for x in xs]"),
        {"hidden": (8, 8), "activation": "tanh", "loss": "mse", "optimizer": "sgd", "lr": 0.1,
         "schedule": "constant", "steps": 200, "batch_size": 0, "l2": 0.0, "seed": 2},
    ),
}


@dataclass(frozen=True)
class Loss:
    """A loss: the output activation it expects, and how the script writes it.

    Attributes:
        title: Its name in the page.
        kinds: The data-set kinds it applies to.
        output_activation: The activation of the network's last neuron.
        threshold: A score above it predicts class +1.
        function: `(scores, targets) -> Value`, targets being the data's labels.
        code: `(import, expression)`; the expression uses `scores` and `labels`.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.playground import LOSSES
        >>> bce = LOSSES["bce"]
        >>> bce.output_activation, bce.threshold
        ('sigmoid', 0.5)
        >>> round(bce.function([Value(0.9), Value(0.2)], [1, -1]).data, 4)
        0.1643
    """

    title: str
    kinds: tuple[str, ...]
    output_activation: str
    threshold: float
    function: Callable[[list[Value], list[float]], Value]
    code: tuple[str, str]


LOSSES: dict[str, Loss] = {
    "hinge": Loss("Hinge (max-margin)", ("classification",), "linear", 0.0, svm_max_margin,
                  ("svm_max_margin", "svm_max_margin(scores, labels)")),
    "bce": Loss("Binary cross-entropy", ("classification",), "sigmoid", 0.5,
                lambda scores, labels: binary_cross_entropy(scores, [(label + 1) / 2 for label in labels]),
                ("binary_cross_entropy", "binary_cross_entropy(scores, [(label + 1) / 2 for label in labels])")),
    "mse": Loss("Mean squared error", ("classification", "regression"), "linear", 0.0, mean_squared_error,
                ("mean_squared_error", "mean_squared_error(scores, labels)")),
}

# name -> (title, class, keyword arguments besides lr)
OPTIMIZERS: dict[str, tuple[str, type[Optimizer], dict[str, float]]] = {
    "sgd": ("SGD", SGD, {}),
    "momentum": ("SGD with momentum 0.9", SGD, {"momentum": 0.9}),
    "adam": ("Adam", Adam, {}),
}

# name -> (title, the rate at step k as Python source over lr, k and steps)
SCHEDULES: dict[str, tuple[str, str]] = {
    "constant": ("Constant", "lr"),
    "linear": ("Linear decay to 10 %", "lr * (1.0 - 0.9 * min(k, steps) / steps)"),
    "cosine": ("Cosine decay to 0", "lr * 0.5 * (1.0 + math.cos(math.pi * min(k, steps) / steps))"),
}

_SCHEDULE_FUNCTIONS: dict[str, Callable[[float, int, int], float]] = {
    "constant": lambda lr, k, steps: lr,
    "linear": lambda lr, k, steps: lr * (1.0 - 0.9 * min(k, steps) / steps),
    "cosine": lambda lr, k, steps: lr * 0.5 * (1.0 + math.cos(math.pi * min(k, steps) / steps)),
}

MAX_LAYERS = 4
MAX_WIDTH = 64


@dataclass(frozen=True)
class Settings:
    """Everything a playground run depends on (defaults: the two-moons chapter's run).

    Attributes:
        dataset: A key of `DATASETS`.
        hidden: Sizes of the hidden layers (at most 4, each 1 to 64).
        activation: Of the hidden layers, one of `micrograd.nn.ACTIVATIONS`.
        loss: A key of `LOSSES` that fits the data set.
        optimizer: A key of `OPTIMIZERS`.
        lr: The learning rate (the schedule's starting rate).
        schedule: A key of `SCHEDULES`.
        steps: The schedule's length in steps (after it the rate stays at its last value).
        batch_size: Points per step; 0 (or the data set's size) uses them all.
        l2: Weight of the L2 penalty on the parameters (0 for none).
        seed: Seeds the weights and the order of the mini-batches.

    Examples:
        >>> from micrograd.playground import Settings
        >>> Settings(hidden=(8,), seed=3).to_query()
        'data=moons&hidden=8&act=relu&loss=hinge&opt=sgd&lr=1.0&sched=linear&steps=100&batch=0&l2=0.0001&seed=3'
        >>> Settings.from_query("?data=sine&hidden=8-8&loss=mse") == Settings(dataset="sine", hidden=(8, 8), loss="mse")
        True
        >>> try:
        ...     Settings(loss="hinge", dataset="sine")
        ... except ValueError as error:
        ...     print(error)
        loss 'hinge' does not fit the sine data set; choose one of mse
    """

    dataset: str = "moons"
    hidden: tuple[int, ...] = (16, 16)
    activation: str = "relu"
    loss: str = "hinge"
    optimizer: str = "sgd"
    lr: float = 1.0
    schedule: str = "linear"
    steps: int = 100
    batch_size: int = 0
    l2: float = 1e-4
    seed: int = 1337

    def __post_init__(self) -> None:
        _one_of(self.dataset, DATASETS, "dataset")
        _one_of(self.activation, ACTIVATIONS, "activation")
        _one_of(self.loss, LOSSES, "loss")
        _one_of(self.optimizer, OPTIMIZERS, "optimizer")
        _one_of(self.schedule, SCHEDULES, "schedule")
        kind = DATASETS[self.dataset].kind
        if kind not in LOSSES[self.loss].kinds:
            fitting = ", ".join(name for name, loss in LOSSES.items() if kind in loss.kinds)
            raise ValueError(f"loss {self.loss!r} does not fit the {self.dataset} data set; choose one of {fitting}")
        hidden = tuple(self.hidden)
        if len(hidden) > MAX_LAYERS or not all(type(n) is int and 1 <= n <= MAX_WIDTH for n in hidden):
            raise ValueError(f"hidden layers: up to {MAX_LAYERS} sizes from 1 to {MAX_WIDTH}, got {list(hidden)}")
        object.__setattr__(self, "hidden", hidden)
        for name, low, high in (("lr", 0.0, 10.0), ("l2", 0.0, 1.0)):
            value = getattr(self, name)
            if not (is_real(value) and low <= float(value) <= high):
                raise ValueError(f"{name} must be a number from {low} to {high}, got {value!r}")
            object.__setattr__(self, name, float(value))
        for name, low, high in (("steps", 1, 100_000), ("batch_size", 0, 100_000), ("seed", 0, 2**32 - 1)):
            value = getattr(self, name)
            if type(value) is not int or not low <= value <= high:
                raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")

    _QUERY: ClassVar[dict[str, str]] = {
        "dataset": "data", "hidden": "hidden", "activation": "act", "loss": "loss", "optimizer": "opt",
        "lr": "lr", "schedule": "sched", "steps": "steps", "batch_size": "batch", "l2": "l2", "seed": "seed"}

    def to_query(self) -> str:
        """The settings as a URL query string (without the `?`), every setting named.

        Examples:
            >>> from micrograd.playground import Settings
            >>> "opt=adam&lr=0.01" in Settings(optimizer="adam", lr=0.01).to_query()
            True
        """
        values = asdict(self)
        values["hidden"] = "-".join(str(n) for n in self.hidden)
        return urlencode({key: values[name] for name, key in self._QUERY.items()})

    @classmethod
    def from_query(cls, query: str) -> Settings:
        """Settings from a URL query (a leading `?` is fine); what it leaves out keeps its default.

        Raises:
            ValueError: An unknown key, a malformed number or an invalid setting.

        Examples:
            >>> from micrograd.playground import Settings
            >>> Settings.from_query("?hidden=8&seed=3").hidden
            (8,)
        """
        names = {key: name for name, key in cls._QUERY.items()}
        given: dict[str, Any] = {}
        for key, text in parse_qsl(query.lstrip("?"), keep_blank_values=True):
            if key not in names:
                raise ValueError(f"unknown setting {key!r} in the link")
            name = names[key]
            try:
                if name == "hidden":
                    given[name] = tuple(int(n) for n in text.split("-") if n)
                elif name in ("lr", "l2"):
                    given[name] = float(text)
                elif name in ("steps", "batch_size", "seed"):
                    given[name] = int(text)
                else:
                    given[name] = text
            except ValueError:
                raise ValueError(f"setting {key!r} is not a number: {text!r}") from None
        return cls(**given)

    def with_changes(self, **changes: Any) -> Settings:
        """A copy with some settings changed (validated like a new one).

        Examples:
            >>> from micrograd.playground import Settings
            >>> Settings().with_changes(batch_size=10).batch_size
            10
        """
        return replace(self, **changes)


def _one_of(value: str, allowed: Mapping[str, Any] | Sequence[str], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(allowed)}")


def learning_rate(settings: Settings, k: int) -> float:
    """The rate step `k` (0, 1, 2, ...) uses: `SCHEDULES[settings.schedule]` evaluated.

    Examples:
        >>> from micrograd.playground import Settings, learning_rate
        >>> [learning_rate(Settings(), k) for k in (0, 50, 100, 200)]
        [1.0, 0.55, 0.09999999999999998, 0.09999999999999998]
    """
    return _SCHEDULE_FUNCTIONS[settings.schedule](settings.lr, k, settings.steps)


def build_model(settings: Settings) -> MLP:
    """The network: its inputs, the hidden layers, one output with the loss's activation.

    Examples:
        >>> from micrograd.playground import Settings, build_model
        >>> build_model(Settings(hidden=(3,), activation="tanh"))
        MLP of [Layer of [TanhNeuron(2), TanhNeuron(2), TanhNeuron(2)], Layer of [LinearNeuron(3)]]
    """
    nin = len(DATASETS[settings.dataset].load()[0][0])
    return MLP(nin, [*settings.hidden, 1], activation=settings.activation,
               output_activation=LOSSES[settings.loss].output_activation, rng=settings.seed)


_FAST = {
    "relu": lambda v: 0.0 if v <= 0 else v,
    "tanh": math.tanh,
    "sigmoid": lambda v: Value(v).sigmoid().data,
    "linear": lambda v: v,
}


def predict_many(model: MLP, points: Sequence[Sequence[float]]) -> list[float]:
    """`model(x).data` for every point, computed on plain floats, a layer at a time for all points.

    Each neuron's sum starts at its bias and adds each weight times its
    input in order, as the engine's `weighted_sum` does, so every result is
    the same float the model gives, without building a graph: many times
    faster, for the accuracy and the page's drawings.

    Examples:
        >>> from micrograd.nn import MLP
        >>> from micrograd.playground import predict_many
        >>> model = MLP(2, [4, 1], rng=0)
        >>> predict_many(model, [[0.5, -1.0]]) == [model([0.5, -1.0]).data]
        True
    """
    columns = [[point[i] for point in points] for i in range(len(points[0]))] if points else []
    for layer in model.layers:
        outputs = []
        for neuron in layer.neurons:
            totals = [neuron.b.data] * len(points)
            for w, column in zip(neuron.w, columns, strict=True):
                weight = w.data
                totals = [total + weight * x for total, x in zip(totals, column, strict=True)]
            activation = _FAST.get(neuron.activation) or _engine_activation(neuron.activation)
            outputs.append([activation(total) for total in totals])
        columns = outputs
    return columns[0] if columns else []


def _engine_activation(name: str) -> Callable[[float], float]:
    """An activation the table above lacks, computed by the library's own function of that name."""
    function = get_activation(name)
    return lambda v: float(function(Value(v)).data)


@dataclass(frozen=True)
class StepResult:
    """One training step: its loss (on its batch, before the update) and the accuracy on all points.

    `lr` is the learning rate the step used; `accuracy` is None for a regression.

    Examples:
        >>> from micrograd.playground import Settings, Trainer
        >>> Trainer(Settings()).step()
        StepResult(step=0, loss=0.9128546778968707, accuracy=0.5, lr=1.0)
    """

    step: int
    loss: float
    accuracy: float | None
    lr: float


class Trainer:
    """Trains a network with `Settings`, one step at a time (what the page plays).

    Examples:
        >>> from micrograd.playground import Settings, Trainer
        >>> trainer = Trainer(Settings(batch_size=10))
        >>> first = trainer.step()
        >>> first.step, round(first.loss, 4), first.accuracy
        (0, 0.8768, 0.5)
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.X, self.y = DATASETS[settings.dataset].load()
        self.model = build_model(settings)
        self.loss = LOSSES[settings.loss]
        _, kind, options = OPTIMIZERS[settings.optimizer]
        rate: float | Callable[[int], float] = settings.lr
        if settings.schedule != "constant":
            rate = lambda k: learning_rate(settings, k)  # noqa: E731 (a schedule is a function of the step)
        self.optimizer = kind(self.model.parameters(), lr=rate, **options)
        self.shuffler = random.Random(settings.seed)
        self.order: list[int] = []
        self.history: list[StepResult] = []
        self.compiled = self._compile()

    def batch(self) -> list[int]:
        """Indices of the next step's points: all of them, or the next slice of a shuffled epoch.

        Examples:
            >>> from micrograd.playground import Settings, Trainer
            >>> trainer = Trainer(Settings(batch_size=40))
            >>> first, second, third = trainer.batch(), trainer.batch(), trainer.batch()
            >>> len(first), len(set(first + second)), len(third)  # the third starts a new epoch
            (40, 80, 40)
        """
        size = self.settings.batch_size
        if size == 0 or size >= len(self.X):
            return list(range(len(self.X)))
        if len(self.order) < size:  # a new epoch: every point once, in a new order
            self.order = list(range(len(self.X)))
            self.shuffler.shuffle(self.order)
        batch, self.order = self.order[:size], self.order[size:]
        return batch

    def accuracy(self) -> float | None:
        """Fraction of all points on the right side of the threshold (None for regression).

        Examples:
            >>> from micrograd.playground import Settings, Trainer
            >>> Trainer(Settings()).accuracy()
            0.5
        """
        if DATASETS[self.settings.dataset].kind != "classification":
            return None
        threshold = self.loss.threshold
        scores = predict_many(self.model, self.X)
        hits = sum((score > threshold) == (label > 0) for score, label in zip(scores, self.y, strict=True))
        return hits / len(self.X)

    def _score(self, x: Point) -> Value:
        out = self.model(x)
        assert isinstance(out, Value)  # the last layer has one neuron
        return out

    def _compile(self) -> CompiledLoss | None:
        """The step's loss compiled by `micrograd.compile`, or None to run it eagerly.

        Compiled, a step computes the same floats as the eager loss and
        `backward()` (the compiler's guarantee, checked by the tests), several
        times faster: that is what lets the page redraw often. Hinge and mean
        squared error are means of per-sample terms, the form the compiler
        takes; binary cross-entropy clamps its input, so it runs eagerly.
        """
        # One sample's term, written as svm_max_margin and mean_squared_error write it.
        terms = {"hinge": lambda x, t: (1 + -t * self._score(x)).relu(), "mse": lambda x, t: (self._score(x) - t) ** 2}
        if self.settings.loss not in terms:
            return None
        params, alpha = self.model.parameters(), self.settings.l2
        regularizer = (lambda: l2_regularization(params, alpha=alpha)) if alpha else None
        try:
            return compile_loss(terms[self.settings.loss], example=(self.X[0], self.y[0]), regularizer=regularizer)
        except TracingError:  # pragma: no cover - hinge and mse always trace
            return None

    def step(self) -> StepResult:
        """One step: forward on the batch, the loss, backward, the optimizer's update.

        Examples:
            >>> from micrograd.playground import Settings, Trainer
            >>> trainer = Trainer(Settings(dataset="sine", loss="mse"))
            >>> [trainer.step().step for _ in range(3)], len(trainer.history)
            ([0, 1, 2], 3)
        """
        batch = self.batch()
        accuracy = self.accuracy()
        lr = self.optimizer.current_lr()
        self.optimizer.zero_grad()
        if self.compiled is not None:
            loss_value = self.compiled([self.X[i] for i in batch], [self.y[i] for i in batch])
        else:
            scores = [self._score(self.X[i]) for i in batch]
            loss = self.loss.function(scores, [self.y[i] for i in batch])
            if self.settings.l2:
                loss = loss + l2_regularization(self.model.parameters(), alpha=self.settings.l2)
            loss.backward()
            loss_value = loss.data
        self.optimizer.step()
        result = StepResult(len(self.history), loss_value, accuracy, lr)
        self.history.append(result)
        return result


def train_steps(settings: Settings, n: int) -> list[float]:
    """The losses of the first `n` steps of a run (what the page's curve shows).

    Examples:
        >>> from micrograd.playground import Settings, train_steps
        >>> len(train_steps(Settings(dataset="sine", loss="mse", hidden=(4,)), 5))
        5
    """
    trainer = Trainer(settings)
    return [trainer.step().loss for _ in range(n)]


def choices() -> dict[str, Any]:
    """What the page's form offers, straight from the library's tables.

    Examples:
        >>> from micrograd.playground import choices
        >>> sorted(choices())
        ['activations', 'datasets', 'losses', 'optimizers', 'schedules']
        >>> choices()["losses"]["hinge"]["kinds"]
        ['classification']
    """
    return {
        "datasets": {name: {"title": d.title, "kind": d.kind, "defaults": d.defaults} for name, d in DATASETS.items()},
        "activations": list(ACTIVATIONS),
        "losses": {name: {"title": loss.title, "kinds": list(loss.kinds)} for name, loss in LOSSES.items()},
        "optimizers": {name: title for name, (title, _, _) in OPTIMIZERS.items()},
        "schedules": {name: title for name, (title, _) in SCHEDULES.items()},
    }


def export_script(settings: Settings, steps: int) -> str:
    """A plain Python script that runs `steps` steps with `settings` and prints each loss.

    It uses only the library and the standard library, spells every step out,
    and prints `step, loss, accuracy` per line with full precision, so its
    numbers can be compared with `Trainer`'s (the tests do).

    Examples:
        >>> from micrograd.playground import Settings, export_script
        >>> script = export_script(Settings(), 3)
        >>> "for step in range(3):" in script and "svm_max_margin(scores, labels)" in script
        True
    """
    data, loss = DATASETS[settings.dataset], LOSSES[settings.loss]
    opt_title, opt_class, opt_options = OPTIMIZERS[settings.optimizer]
    full_batch = settings.batch_size == 0 or settings.batch_size >= len(data.load()[0])
    loss_imports = sorted({loss.code[0], *(["l2_regularization"] if settings.l2 else [])})
    layers = [*settings.hidden, 1]
    nin = len(data.load()[0][0])
    classification = data.kind == "classification"
    lines = [
        f'"""{data.title}: a run of the micrograd playground, as a script.',
        "",
        "Settings (the page's link query): " + settings.to_query(),
        "Needs only micrograd-literate. Prints every step's loss and accuracy.",
        '"""',
        "",
        *(["import math"] if settings.schedule == "cosine" else []),
        *(["import random"] if not full_batch else []),
        *([""] if settings.schedule == "cosine" or not full_batch else []),
        data.code[0],
        f"from micrograd.losses import {', '.join(loss_imports)}",
        "from micrograd.nn import MLP",
        f"from micrograd.optim import {opt_class.__name__}",
        "",
        data.code[1],
        f"model = MLP({nin}, {layers}, activation={_quoted(settings.activation)},",
        f"            output_activation={_quoted(loss.output_activation)}, rng={settings.seed})",
        "",
    ]
    options = "".join(f", {key}={value!r}" for key, value in opt_options.items())
    if settings.schedule == "constant":
        lines.append(f"optimizer = {opt_class.__name__}(model.parameters(), lr={settings.lr!r}{options})"
                     f"  # {opt_title}")
    else:
        lines += [
            f"lr, steps = {settings.lr!r}, {settings.steps}",
            "",
            "",
            "def schedule(k):",
            f'    """{SCHEDULES[settings.schedule][0]}: the rate of step k."""',
            f"    return {SCHEDULES[settings.schedule][1]}",
            "",
            "",
            f"optimizer = {opt_class.__name__}(model.parameters(), lr=schedule{options})  # {opt_title}",
        ]
    if not full_batch:
        lines += [
            f"shuffler = random.Random({settings.seed})  # the order of the mini-batches",
            "order = []  # points not used yet in this epoch",
        ]
    lines += ["", f"for step in range({steps}):"]
    if full_batch:
        lines += ["    points, labels = X, y  # every point, every step"]
    else:
        lines += [
            f"    if len(order) < {settings.batch_size}:  # a new epoch: every point once, in a new order",
            "        order = list(range(len(X)))",
            "        shuffler.shuffle(order)",
            f"    batch, order = order[:{settings.batch_size}], order[{settings.batch_size}:]",
            "    points, labels = [X[i] for i in batch], [y[i] for i in batch]",
        ]
    lines += [
        "    scores = [model(x) for x in points]",
        f"    loss = {loss.code[1]}",
        *([f"    loss = loss + l2_regularization(model.parameters(), alpha={settings.l2!r})"] if settings.l2 else []),
    ]
    if classification:
        lines += [
            f"    hits = sum((model(x).data > {loss.threshold!r}) == (label > 0) for x, label in zip(X, y))",
            "    accuracy = hits / len(X)",
        ]
    else:
        lines += ["    accuracy = None  # a regression: no classes"]
    lines += [
        "    optimizer.zero_grad()",
        "    loss.backward()",
        "    optimizer.step()",
        '    print(f"step {step} loss {loss.data!r} accuracy {accuracy!r}")',
        "",
    ]
    return "\n".join(lines)


def _quoted(text: str) -> str:
    """A string literal in double quotes, as the project writes them."""
    return json.dumps(text)
