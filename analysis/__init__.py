"""khuyenhoc: figures from Vietnamese reports on the study-promotion movement, sourced,
validated and analysed. Importing the package is cheap; submodules load what they need."""

__version__ = "0.1.0"
