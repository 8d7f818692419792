"""patuh's built-in plugins. Each module is a plain hookimpl plugin, registered through the
``patuh`` entry-point group exactly like a third-party plugin, and imports only ``patuh``'s
public names."""
