import gzip
import json

import pytest

from ducha.lib.geo import bbox, point_in_geometry
from ducha.regions import boundaries
from ducha.regions.boundaries import BOUNDARIES_DIR, outline, region_geojson, township_for_unit
from ducha.regions.models import Region
from ducha.regions.services import regions_load
from ducha.units.models import Unit, UnitKind

# Places far (> 5 km) from any district border, WGS-84: the old town of 金坛, the old town of 溧阳, 湖塘 in 武进,
# and 南京's 新街口.
JINTAN_TOWN = (119.573, 31.741)
LIYANG_TOWN = (119.484, 31.416)
HUTANG = (119.955, 31.705)
NANJING = (118.784, 32.042)


def codes(collection, role):
    return [f["properties"]["code"] for f in collection["features"] if f["properties"]["role"] == role]


def test_city_with_its_districts():
    collection = region_geojson(Region(code="320400", name="常州市", level="city"))
    assert collection["type"] == "FeatureCollection"
    assert codes(collection, "self") == ["320400"]
    assert codes(collection, "child") == ["320402", "320404", "320411", "320412", "320413", "320481"]
    by_code = {f["properties"]["code"]: f for f in collection["features"]}
    assert by_code["320413"]["properties"] == {
        "code": "320413",
        "name": "金坛区",
        "level": "county",
        "parent": "320400",
        "role": "child",
    }
    assert point_in_geometry(JINTAN_TOWN, by_code["320413"]["geometry"])
    assert point_in_geometry(LIYANG_TOWN, by_code["320481"]["geometry"])
    assert point_in_geometry(HUTANG, by_code["320412"]["geometry"])
    assert not point_in_geometry(HUTANG, by_code["320413"]["geometry"])
    for point in (JINTAN_TOWN, LIYANG_TOWN, HUTANG):
        assert point_in_geometry(point, by_code["320400"]["geometry"])
    assert not point_in_geometry(NANJING, by_code["320400"]["geometry"])


def test_coordinates_are_longitude_latitude_in_the_county():
    west, south, east, north = bbox(outline("320413"))
    # 金坛区 spans about 119.2–119.8 E, 31.5–32.0 N.
    assert 119.1 < west < east < 119.9
    assert 31.4 < south < north < 32.1


def test_province_and_county():
    province = region_geojson(Region(code="320000", name="江苏省", level="province"))
    assert codes(province, "self") == ["320000"]
    assert len(codes(province, "child")) == 13
    assert all(code.endswith("00") for code in codes(province, "child"))
    # No township outlines are bundled: a county holds its own outline only.
    county = region_geojson(Region(code="320413", name="金坛区", level="county"))
    assert codes(county, "self") == ["320413"] and codes(county, "child") == []


def test_regions_without_data_give_an_empty_collection():
    empty = {"type": "FeatureCollection", "features": []}
    assert region_geojson(Region(code="110000", name="北京市", level="province")) == empty
    assert region_geojson(Region(code="320413100", name="金城镇", level="township")) == empty
    assert outline("320371") is None  # a development zone coded as a county, with no outline in the source


def test_parsed_once_and_shared():
    a = region_geojson(Region(code="320400", name="常州市", level="city"))
    b = region_geojson(Region(code="320413", name="金坛区", level="county"))
    jintan_a = next(f for f in a["features"] if f["properties"]["code"] == "320413")
    assert jintan_a["geometry"] is b["features"][0]["geometry"]


def test_bundled_files_are_small_and_match_the_division_list():
    files = list(BOUNDARIES_DIR.glob("*.geojson.gz"))
    assert files and sum(p.stat().st_size for p in files) < 400_000
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            features = json.load(f)["features"]
        known = {f["properties"]["code"] for f in features}
        for feature in features:
            props = feature["properties"]
            assert props["level"] in ("province", "city", "county", "township")
            assert props["parent"] in known or props["level"] == "province"
            assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.django_db
def test_township_for_unit_without_township_data():
    regions_load("320400")
    jintan = Region.objects.get(code="320413")
    town = Unit.objects.create(name="金城镇", kind=UnitKind.TOWN, region=jintan)
    assert township_for_unit(town) is None


@pytest.mark.django_db
def test_township_for_unit_matches_by_name_within_the_region(monkeypatch):
    # A township layer as a future data file would carry it (a made-up square: only the matching is tested).
    regions_load("320400")
    jintan, wujin = Region.objects.get(code="320413"), Region.objects.get(code="320412")
    square = {
        "type": "Polygon",
        "coordinates": [[[119.5, 31.7], [119.6, 31.7], [119.6, 31.8], [119.5, 31.8], [119.5, 31.7]]],
    }
    township = {
        "type": "Feature",
        "properties": {"code": "320413100", "name": "金城镇", "level": "township", "parent": "320413"},
        "geometry": square,
    }
    features = {**boundaries._features(), "320413100": township}
    children = {**boundaries._children(), "320413": ["320413100"]}
    monkeypatch.setattr(boundaries, "_features", lambda: features)
    monkeypatch.setattr(boundaries, "_children", lambda: children)

    found = township_for_unit(Unit.objects.create(name="金城镇", kind=UnitKind.TOWN, region=jintan))
    assert found["properties"]["code"] == "320413100" and found["geometry"] is square
    # Same name in another district, another name, a park: no match.
    assert township_for_unit(Unit.objects.create(name="金城镇", kind=UnitKind.TOWN, region=wujin)) is None
    assert township_for_unit(Unit.objects.create(name="儒林镇", kind=UnitKind.TOWN, region=jintan)) is None
    park = Unit(name="金城镇", kind=UnitKind.PARK, region=jintan)  # unsaved: (region, name) is unique
    assert township_for_unit(park) is None
    assert codes(region_geojson(jintan), "child") == ["320413100"]
