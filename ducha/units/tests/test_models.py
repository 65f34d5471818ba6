"""The unit model's rules: areas (板块) against departments, labels, order and unique names."""

import pytest
from django.db import IntegrityError, transaction

from ducha.units.models import PEER_GROUP_OF_KIND, PeerGroup, Unit, UnitKind


def test_areas_are_the_towns_streets_and_parks(units):
    assert list(Unit.objects.areas()) == [units["town"], units["street"], units["park"], units["other_park"]]


def test_departments_are_the_rest(units):
    assert list(Unit.objects.departments()) == [units["department"], units["other_department"]]


def test_only_a_department_is_a_department(units):
    assert [key for key, unit in units.items() if unit.is_department] == ["department", "other_department"]


def test_the_label_is_the_short_name_when_there_is_one(units):
    assert units["park"].label == "金科园"
    assert units["town"].label == "金城镇" == str(units["town"])


def test_units_are_listed_by_their_order_then_by_name(db):
    Unit.objects.create(name="测试镇2", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, order=2)
    Unit.objects.create(name="测试镇1", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, order=2)
    Unit.objects.create(name="测试镇3", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, order=1)
    assert [u.name for u in Unit.objects.all()] == ["测试镇3", "测试镇1", "测试镇2"]


def test_two_units_cannot_share_a_name(units):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(name="金城镇", kind=UnitKind.STREET, peer_group=PeerGroup.TOWNS_STREETS)


@pytest.mark.parametrize(
    ("kind", "group"),
    [
        (UnitKind.TOWN, PeerGroup.TOWNS_STREETS),
        (UnitKind.STREET, PeerGroup.TOWNS_STREETS),
        (UnitKind.PARK, PeerGroup.PARKS),
        (UnitKind.DEPARTMENT, PeerGroup.DEPARTMENTS),
    ],
)
def test_every_kind_of_unit_has_its_peer_group(kind, group):
    assert PEER_GROUP_OF_KIND[kind] == group


def test_every_kind_of_unit_is_placed_in_a_peer_group():
    assert set(PEER_GROUP_OF_KIND) == set(UnitKind)
