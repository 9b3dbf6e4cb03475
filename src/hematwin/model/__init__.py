"""Declarative model specifications: states, parameters, equations as text, outputs."""

from hematwin.model.spec import Definition, Equation, ModelSpec, Output, Parameter, State
from hematwin.model.symbolic import SymbolicModel, build_symbolic
from hematwin.model.text_format import load_model, parse_model_yaml

__all__ = [
    "Definition",
    "Equation",
    "ModelSpec",
    "Output",
    "Parameter",
    "State",
    "SymbolicModel",
    "build_symbolic",
    "load_model",
    "parse_model_yaml",
]
