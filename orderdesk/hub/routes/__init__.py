"""The hub's routes, one module per resource, each an APIRouter that ``hub.api.create_app`` includes."""
