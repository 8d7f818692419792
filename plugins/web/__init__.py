"""The web platform (``patuh serve``): a built-in plugin. Nothing here imports Django at
import time; :mod:`patuh.plugins.web.store` is framework-free."""
