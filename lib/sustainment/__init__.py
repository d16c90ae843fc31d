"""sustainment: sourced claims and models on Russian vs Western artillery ammunition and manpower.

Importing the package is cheap on purpose: heavy libraries (pandas, pint, pandera, statsmodels,
matplotlib) are imported by the modules that need them. Typical use in a notebook::

    from sustainment.claims import load, select
    claims = load()
    select(claims, metric="shells_produced", actor="RU", period=2024)
"""

__version__ = "0.1.0"
