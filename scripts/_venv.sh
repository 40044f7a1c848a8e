# Sourced by the scripts: make .venv if missing and install gdanim into it,
# skipping the install when pyproject.toml (the only thing it depends on) is unchanged.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
        || { echo "gdanim needs Python >= 3.10 (found $("$PYTHON" --version 2>&1))" >&2; exit 2; }
    echo "creating $VENV" >&2
    "$PYTHON" -m venv "$VENV"
fi
STAMP="$VENV/.gdanim-installed"
WANT="$("$VENV/bin/python" -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest(), sys.version)')"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    echo "installing gdanim into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test]" >&2
    echo "$WANT" > "$STAMP"
fi
export MPLBACKEND=Agg
