"""The console: Qt-free services, the CLI, and (in app/ui) the Qt user interface."""
