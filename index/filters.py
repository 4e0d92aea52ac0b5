"""SearchFilters as llama-index metadata filters (pushed down to Chroma and BM25)."""

from __future__ import annotations

from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)

from index.models import SearchFilters

__all__ = ["to_metadata_filters"]


def to_metadata_filters(filters: SearchFilters) -> MetadataFilters | None:
    """Equivalent llama-index filters (AND of each restriction); None when unrestricted."""
    parts: list[MetadataFilter] = []
    if filters.kinds is not None:
        kinds = [str(kind) for kind in filters.kinds]
        if len(kinds) == 1:
            parts.append(MetadataFilter(key="kind", value=kinds[0]))
        else:
            parts.append(MetadataFilter(key="kind", value=kinds, operator=FilterOperator.IN))
    if filters.programme is not None:
        parts.append(MetadataFilter(key="programme", value=filters.programme))
    if filters.article is not None:
        parts.append(MetadataFilter(key="article", value=filters.article))
    if filters.fiscal_year is not None:
        parts.append(MetadataFilter(key=f"fy{filters.fiscal_year}", value=1))
    if not parts:
        return None
    return MetadataFilters(filters=parts, condition=FilterCondition.AND)  # type: ignore[arg-type]
