"""Channel, logistics and finance status mapping: raw status → canonical observation."""

from sync.mapping.registry import MappingRegistry, MappingTableError, validate_table
from sync.mapping.table import MappedStatus, MappingTable

__all__ = ["MappedStatus", "MappingRegistry", "MappingTable", "MappingTableError", "validate_table"]
