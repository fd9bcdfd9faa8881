# Sourced by scripts/test and .ci/run: moto's S3 server (moto_server), which the object
# store tests start, installed at a pinned version in a cached virtual environment
# (AULA_MOTO_VENV). A moto_server already named by AULA_TEST_MOTO is used as it is.
#
#   aula_moto_install   # exports AULA_TEST_MOTO; non-zero when moto cannot be installed

AULA_MOTO_VERSION=5.2.6

aula_moto_install() {
    if [ -n "${AULA_TEST_MOTO:-}" ]; then
        return 0
    fi
    local venv="${AULA_MOTO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/aula/moto-$AULA_MOTO_VERSION}"
    if [ ! -x "$venv/bin/moto_server" ]; then
        echo "installing moto[server] $AULA_MOTO_VERSION in $venv"
        rm -rf "$venv"
        mkdir -p "$(dirname "$venv")"
        if ! { python3 -m venv "$venv" &&
            "$venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$AULA_MOTO_VERSION"; }; then
            # A half-made environment would be taken for a good one next time.
            rm -rf "$venv"
            return 1
        fi
    fi
    export AULA_TEST_MOTO="$venv/bin/moto_server"
}
