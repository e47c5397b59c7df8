"""KI-Plattform NRW: the platform of the 54 Kommunale Integrationszentren."""

__version__ = "0.1.0"
