from sustainment import paths


def test_the_agreed_layout_exists():
    for name in ("README.md", "environment.yml", "pyproject.toml", "Makefile", ".ci/run", "data/README.md",
                 "data/claims.csv", "data/sources.csv", "data/metrics.csv", "data/actors.csv",
                 "reports/README.md", "notebooks", "tests", "bench"):
        assert (paths.ROOT / name).exists(), name


def test_readme_starts_with_the_two_commands():
    head = (paths.ROOT / "README.md").read_text(encoding="utf-8")[:1500]
    assert "make reports" in head and "make test" in head
