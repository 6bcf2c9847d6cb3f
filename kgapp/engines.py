"""The names of the engines a build can run: SHACL validators and OWL 2 RL reasoners, the
default of each and its reference implementation. Light on purpose: the command line offers
them without loading any engine."""

from __future__ import annotations

DEFAULT_VALIDATOR = "pyshacl-turbo"
REFERENCE_VALIDATOR = "pyshacl"
VALIDATOR_NAMES = (DEFAULT_VALIDATOR, REFERENCE_VALIDATOR)

DEFAULT_REASONER = "rules"
REFERENCE_REASONER = "owlrl"
REASONER_NAMES = (DEFAULT_REASONER, REFERENCE_REASONER)
