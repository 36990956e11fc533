"""Dataset models (``/datasets``, Flowise Enterprise and Cloud only)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ._base import FlowiseModel

__all__ = ["Dataset", "DatasetDetail", "DatasetRow"]


class DatasetRow(FlowiseModel):
    """One input/expected-output pair of a dataset, in ``sequence_no`` order."""

    id: str
    dataset_id: str | None = None
    input: str = ""
    output: str = ""
    sequence_no: int | None = None
    updated_date: datetime | None = None


class Dataset(FlowiseModel):
    """A dataset for evaluations. ``row_count`` is filled in listings only."""

    id: str
    name: str
    description: str | None = None
    row_count: int | None = None
    workspace_id: str | None = None
    created_date: datetime | None = None
    updated_date: datetime | None = None


class DatasetDetail(Dataset):
    """``GET /datasets/set/{id}``: the dataset with its rows (one page of them when paginated)
    and ``total``, the dataset's row count."""

    rows: list[DatasetRow] = Field(default_factory=list)
    total: int = 0
