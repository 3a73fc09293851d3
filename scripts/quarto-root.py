"""Quarto's pre-render and post-render steps for `quarto render` and `quarto preview` at the
repository root (named in _quarto.yml): `pre-render` runs the latest year and stages it for the
book; `post-render` copies the tables' CSVs the pages link to. See
lib/complaints_report/publish/root.py."""

import sys

try:
    from complaints_report.publish import root
except ImportError:
    print(
        "quarto render needs the project's Python: run `make install-dev`, then "
        "`source .venv/bin/activate` (or set QUARTO_PYTHON=.venv/bin/python)",
        file=sys.stderr,
    )
    sys.exit(1)

sys.exit(root.post_render() if sys.argv[1:] == ["post-render"] else root.pre_render())
