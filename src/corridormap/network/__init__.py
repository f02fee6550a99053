"""Routing over the corridor network: the graph (:mod:`.graph`), cited time parameters (:mod:`.params`), routes
and alternatives (:mod:`.route`) and the scenarios users compare (:mod:`.scenarios`).

>>> from corridormap.network import Router, build_network, parameters_of   # doctest: +SKIP
>>> router = Router(build_network(layers), parameters_of(layers.atlas))       # doctest: +SKIP
>>> [r.as_dict() for r in router.routes(router.query("baku", "kars", alternatives=2))]  # doctest: +SKIP
"""

from __future__ import annotations

from ..schema import FREIGHT_MODES
from .graph import Crossing, Leg, Network, build_network, network_from_legs
from .params import Missing, Parameters, Span, parameters_of
from .route import STATUS_LEVELS, Query, Route, RouteError, Router

__all__ = ["FREIGHT_MODES", "STATUS_LEVELS", "Crossing", "Leg", "Missing", "Network", "Parameters", "Query",
           "Route", "RouteError", "Router", "Span", "build_network", "network_from_legs", "parameters_of"]
