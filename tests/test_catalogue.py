"""The catalogue: the five bundled documents with their stable ids, and clear errors for bad rows."""

from __future__ import annotations

import pytest

from graphkit.catalogue import read_catalogue
from graphkit.errors import CatalogueError

HEADER = "id,file,council,title,plan_type,start_year,end_year,format,source,published\n"


def test_bundled_catalogue_lists_the_five_plans_with_stable_ids(data_dir):
    plans = read_catalogue(data_dir)
    assert [(p.id, p.file[:3], p.start_year) for p in plans] == [
        ("clackmannanshire-promise-2023", "000", 2023),
        ("clackmannanshire-inspection-2015", "001", 2015),
        ("dundee-promise-2021", "002", 2021),
        ("south-ayrshire-promise-2024", "003", 2021),
        ("clackmannanshire-cpc-2023", "004", 2023),
    ]
    for plan in plans:
        assert (data_dir / "plans" / plan.file).is_file()


def test_bundled_documents_are_byte_identical_to_the_seeds(data_dir):
    seeds = data_dir.parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    for plan in read_catalogue(data_dir):
        assert (data_dir / "plans" / plan.file).read_bytes() == (seeds / plan.file).read_bytes()


def write_catalogue(tmp_path, rows: str):
    (tmp_path / "plans").mkdir(exist_ok=True)
    (tmp_path / "catalogue.csv").write_text(HEADER + rows, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("a-plan,a.txt,Fife,A plan,promise,20x3,2026,,,\n", "line 2: start_year must be a year"),
        ("a-plan,a.txt,Fife,A plan,promise,2023,1850,,,\n", "line 2: end_year must be a year"),
        ("a-plan,a.txt,Fife,A plan,promise,2026,2023,,,\n", "line 2: end_year 2023 is before start_year 2026"),
        ("A Plan,a.txt,Fife,A plan,promise,2023,2026,,,\n", "line 2: id 'A Plan' must be lower-case"),
        (",a.txt,Fife,A plan,promise,2023,2026,,,\n", "line 2: empty id"),
        ("a-plan,../a.txt,Fife,A plan,promise,2023,2026,,,\n", "line 2: file must be a plain file name"),
        (
            "a-plan,a.txt,Fife,A plan,promise,2023,2026,,,\na-plan,b.txt,Fife,B,promise,2023,2026,,,\n",
            "line 3: duplicate id 'a-plan'",
        ),
    ],
)
def test_bad_catalogue_row_names_the_row(tmp_path, row, message):
    with pytest.raises(CatalogueError, match=message):
        read_catalogue(write_catalogue(tmp_path, row))


def test_missing_data_folder_is_a_catalogue_error(tmp_path):
    with pytest.raises(CatalogueError, match="data folder not found"):
        read_catalogue(tmp_path / "nowhere")


def test_missing_column_is_named(tmp_path):
    (tmp_path / "catalogue.csv").write_text("id,file,council\nx,x.txt,Fife\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="missing column"):
        read_catalogue(tmp_path)
