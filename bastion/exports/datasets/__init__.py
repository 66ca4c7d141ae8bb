"""The registry of exportable datasets (数据集). Each list that can be exported names one of
these in its "导出" link: /exports/new/?dataset=<name>&unit=<code>&<the list's filters>."""

from django.http import Http404

from bastion.exports.datasets.base import Column, Dataset, Filter, FilterKind, Mask
from bastion.exports.datasets.checkpoints import passages, passengers
from bastion.exports.datasets.community import disinfection_runs, gatherings
from bastion.exports.datasets.mobilisation import members
from bastion.exports.datasets.observation import checkins, observations
from bastion.exports.datasets.people import persons
from bastion.exports.datasets.screening import signals, travel_records
from bastion.exports.datasets.supplies import donations, movements

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        persons,
        observations,
        checkins,
        passages,
        passengers,
        movements,
        donations,
        members,
        gatherings,
        disinfection_runs,
        signals,
        travel_records,
    )
}


def dataset_get(name: str) -> Dataset:
    """The dataset of that name; an unknown name is a 404, like a missing page."""
    try:
        return DATASETS[name]
    except KeyError:
        raise Http404("未找到") from None


__all__ = ["DATASETS", "Column", "Dataset", "Filter", "FilterKind", "Mask", "dataset_get"]
