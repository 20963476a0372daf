"""Lecture 1: a scalar autograd engine and a tiny neural-network library on top of it."""

from zero_to_hero.micrograd.draw import draw_graph, trace
from zero_to_hero.micrograd.engine import Value, topological_order
from zero_to_hero.micrograd.nn import MLP, Layer, Module, Neuron

__all__ = ["MLP", "Layer", "Module", "Neuron", "Value", "draw_graph", "topological_order", "trace"]
