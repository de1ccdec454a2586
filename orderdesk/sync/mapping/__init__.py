"""Channel, logistics and finance status mapping: raw status → canonical observation."""

from orderdesk.sync.mapping.registry import MappingRegistry, MappingTableError, validate_table
from orderdesk.sync.mapping.table import MappedStatus, MappingTable

__all__ = ["MappedStatus", "MappingRegistry", "MappingTable", "MappingTableError", "validate_table"]
