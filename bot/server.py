"""`python -m bot.server run …`: Rasa's own command line, serving without TensorFlow.

Rasa 3.6 imports TensorFlow (with the jax it pulls in, about 470 MB resident) on its serving
path although no component of ours runs it, by two routes:
- `rasa.utils.train_utils`, which imports Rasa's Keras callbacks, is imported at module level
  by featurizers and extractors the dialogue needs; only training calls into it;
- loading a model resolves its training graph too, and that graph's recipe validator imports
  DIET, TED and the ResponseSelector; serving runs only the prediction graph.
So, before any of Rasa loads, `train_utils` becomes a module that loads at its first use, and
a model's training graph is resolved when something first reads it. Nothing is stubbed: a
pipeline that names a TensorFlow component imports TensorFlow when it loads, as before.
`rasa train` and `rasa test` run plain Rasa (`python -m rasa`).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from functools import cached_property
from typing import Any

# Imported by modules that serving needs, but only used while training.
LAZY_MODULES = frozenset({"rasa.utils.train_utils"})


class _LoadOnFirstUse(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name not in LAZY_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def install() -> None:
    """Before Rasa is imported: afterwards its modules hold TensorFlow already."""
    if any(isinstance(finder, _LoadOnFirstUse) for finder in sys.meta_path):
        return
    if LAZY_MODULES & sys.modules.keys():
        raise RuntimeError("bot.server.install() must run before Rasa is imported")
    sys.meta_path.insert(0, _LoadOnFirstUse())

    from rasa.engine.graph import GraphSchema
    from rasa.engine.storage.storage import ModelMetadata

    class TrainSchema(GraphSchema):
        """A model's training graph, resolved when first read."""

        def __init__(self, serialized: dict[str, Any]) -> None:
            self._serialized = serialized

        @cached_property
        def nodes(self) -> dict[str, Any]:  # type: ignore[override]
            return GraphSchema.from_dict(self._serialized).nodes

    from_dict = ModelMetadata.from_dict

    def metadata_from_dict(serialized: dict[str, Any]) -> ModelMetadata:
        metadata = from_dict({**serialized, "train_schema": {"nodes": {}}})
        metadata.train_schema = TrainSchema(serialized["train_schema"])
        return metadata

    ModelMetadata.from_dict = staticmethod(metadata_from_dict)


def main() -> None:
    install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
