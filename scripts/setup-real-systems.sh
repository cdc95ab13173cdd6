#!/usr/bin/env bash
# Installs real systems for Waymark's end-to-end tests into a cache directory:
#   - Apache Flink distributions, taken from the PyPI packages apache-flink
#     (bin/, conf/, the Python code) and apache-flink-libraries (lib/*.jar,
#     opt/, plugins/). Together they form a complete Flink distribution whose
#     FLINK_HOME is "$CACHE/flink/<version>/pyflink".
#   - azure-cli in its own virtualenv: "$CACHE/azure-cli/bin/az".
#   - awscli (v1, from PyPI, pinned to AWSCLI_VERSION) in its own virtualenv:
#     "$CACHE/awscli/bin/aws". Its service model knows every kinesisanalyticsv2
#     operation the Amazon Managed Flink runbooks use (rollback-application,
#     the operations API) and the runtime values up to FLINK-2_3.
#   - Hadoop's client jars (hadoop-client-api and -runtime 3.3.4 with what they
#     need), taken from the PyPI sdist of pyspark (PYSPARK_VERSION), which
#     bundles them: "$CACHE/hadoop-client/*.jar". Flink before 1.11 has its
#     YARN options (-m yarn-cluster -yid/-ynm) only with Hadoop's classes on
#     HADOOP_CLASSPATH, so the real-CLI check needs them.
#   - shellcheck (Debian package), if missing.
#   - kubectl (Debian kubernetes-client, if no kubectl is on PATH) and a
#     virtualenv with jsonschema and PyYAML ("$CACHE/manifest-check") for the
#     Kubernetes and operator checks (kubectl_accepts.sh, operator_manifests.sh).
#
# Usage: setup-real-systems.sh [--flink [VERSION...]] [--azure] [--aws] [--kubernetes] [--hadoop]
#   no arguments       default Flink versions, azure-cli, awscli, the Kubernetes tools, Hadoop jars
#   --hadoop           Hadoop's client jars (plus the others only if named too)
#   --aws              awscli (plus the others only if named too)
#   --kubernetes       kubectl and the manifest-check virtualenv
#   --flink            default Flink versions only (unless --azure is given too)
#   --flink V1 V2 ...  these Flink versions (x.y.z as published on PyPI)
#   --azure            azure-cli (plus Flink only if --flink is given too)
#
# The cache is "${WAYMARK_CACHE:-$HOME/.cache/waymark}". Idempotent: a Flink
# version or the azure-cli venv that is already complete is left alone, and an
# install happens in a temporary directory that is renamed into place only
# after it has been verified, so an interrupted run never leaves a directory
# that looks complete.
#
# How the Flink packages install (checked by hand, Python 3.11, x86_64):
#   - apache-flink-libraries exists for 1.13.6 and from 1.14.0 on. It is an sdist only
#     (about 230 MB) and pure Python, so `pip install --target` builds and
#     installs it in about 20 s on any Python 3.
#   - apache-flink ships binary wheels only for the Pythons its release
#     supports (1.14-1.15: up to 3.8, 1.16: 3.9, 1.17-1.18: 3.10, 1.19-1.20:
#     3.11, 2.x: newer). For other Pythons pip falls back to its sdist, whose
#     build fails (1.14.6 on 3.11: Cython "longintrepr.h: No such file or
#     directory") or first compiles old build dependencies for many minutes
#     (1.18.1). So step 1 uses `--only-binary apache-flink`, and when that
#     fails, step 2 downloads the manylinux wheel built for an older CPython
#     (`pip download --only-binary=:all: --python-version 3.x`) and unzips it.
#     bin/, conf/ and lib/ do not depend on the Python version; only the
#     Cython fast paths of PyFlink would, and the tests use the Java side only.
#   - Before that apache-flink is one package that also holds the jars. 1.9.3
#     has no wheel at all and 1.10.3 none that pip takes here; their sdists
#     install fine with a plain `pip install --target` (step 3). 1.11.4 and
#     1.12.5 take step 2 (wheels for 3.7, 3.8). Checked 2026-12-07: every line
#     from 1.9 to 2.3 installs, 10 to 60 s each.
set -euo pipefail

# 2.0.2 for the 2.x CLI forms (run -t yarn-application): about 20 s to install.
DEFAULT_FLINK_VERSIONS=(1.18.1 1.19.3 1.20.1 2.0.2)
AWSCLI_VERSION=1.46.3
CACHE="${WAYMARK_CACHE:-$HOME/.cache/waymark}"

log() { printf '[setup-real-systems] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
usage() { echo "usage: setup-real-systems.sh [--flink [VERSION...]] [--azure] [--aws] [--kubernetes] [--hadoop]" >&2; exit 2; }

want_flink=0
want_azure=0
want_aws=0
want_k8s=0
want_hadoop=0
flink_versions=()
if (( $# == 0 )); then
  want_flink=1
  want_azure=1
  want_aws=1
  want_k8s=1
  want_hadoop=1
fi
while (( $# )); do
  case "$1" in
    --flink)
      want_flink=1
      shift
      while (( $# )) && [[ $1 != --* ]]; do
        [[ $1 =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "not a Flink version: $1"
        flink_versions+=("$1")
        shift
      done
      continue
      ;;
    --azure) want_azure=1 ;;
    --aws) want_aws=1 ;;
    --kubernetes) want_k8s=1 ;;
    --hadoop) want_hadoop=1 ;;
    -h|--help) usage ;;
    *) usage ;;
  esac
  shift
done
if (( want_flink )) && (( ${#flink_versions[@]} == 0 )); then
  flink_versions=("${DEFAULT_FLINK_VERSIONS[@]}")
fi

PYTHON="${PYTHON:-python3}"
have "$PYTHON" || die "$PYTHON not found"
mkdir -p "$CACHE"

apt_updated=0
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if (( ! apt_updated )); then
    apt-get update -qq
    apt_updated=1
  fi
  apt-get install -y -qq "$@" >/dev/null
}

timings=()
time_part() { # time_part LABEL COMMAND...
  local label=$1 start=$SECONDS
  shift
  "$@"
  timings+=("$label: $(( SECONDS - start ))s")
}

# ---------------------------------------------------------------- shellcheck
install_shellcheck() {
  if have shellcheck; then
    log "shellcheck present: $(shellcheck --version | sed -n 's/^version: //p')"
    return
  fi
  log "installing shellcheck from Debian"
  apt_install shellcheck
}

# --------------------------------------------------------------------- Flink
flink_home() { printf '%s/flink/%s/pyflink' "$CACHE" "$1"; }

# flink_complete DIR: DIR/pyflink is a usable FLINK_HOME
flink_complete() {
  local home="$1/pyflink" jar
  [[ -f $home/bin/flink && -f $home/bin/config.sh ]] || return 1
  for jar in "$home"/lib/flink-dist*.jar; do
    [[ -f $jar ]] && return 0
  done
  return 1
}

# needs_libraries VERSION: the jars are in apache-flink-libraries, which exists
# for 1.13.6 and from 1.14.0 on (the 1.13.6 apache-flink wheel has no lib/).
# Asks the package index once; falls back to that rule if the lookup fails.
libraries_versions=""
needs_libraries() {
  local major minor patch
  if [[ -z $libraries_versions ]]; then
    libraries_versions=$("$PYTHON" -m pip index versions apache-flink-libraries 2>/dev/null \
      | sed -n 's/^Available versions: //p')
    libraries_versions="${libraries_versions:-none}"
  fi
  if [[ $libraries_versions != none ]]; then
    [[ ", $libraries_versions, " == *", $1, "* ]]
    return
  fi
  IFS=. read -r major minor patch <<<"$1"
  (( major > 1 || (major == 1 && minor >= 14) || (major == 1 && minor == 13 && patch >= 6) ))
}

pip_target() { # pip_target DIR REQUIREMENT...
  local dir=$1
  shift
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-cache-dir --root-user-action=ignore \
    --no-deps --target "$dir" "$@"
}

# unpack_foreign_wheel VERSION DIR: unzip an apache-flink wheel built for an
# older CPython into DIR (see the header comment).
unpack_foreign_wheel() {
  local ver=$1 dir=$2 arch pyv dl whl
  arch=$(uname -m)
  dl=$(mktemp -d)
  for pyv in 3.12 3.11 3.10 3.9 3.8 3.7 3.6; do
    if "$PYTHON" -m pip download --quiet --disable-pip-version-check --no-cache-dir \
        --no-deps --only-binary=:all: --implementation cp --python-version "$pyv" \
        --platform "manylinux1_$arch" --platform "manylinux2014_$arch" \
        --platform "manylinux_2_17_$arch" --dest "$dl" "apache-flink==$ver" \
        >/dev/null 2>&1; then
      break
    fi
  done
  whl=$(find "$dl" -maxdepth 1 -name 'apache_flink-*.whl' -print -quit)
  if [[ -z $whl ]]; then
    rm -rf "$dl"
    return 1
  fi
  log "flink $ver: using $(basename "$whl")"
  mkdir -p "$dir"
  "$PYTHON" -m zipfile -e "$whl" "$dir"
  rm -rf "$dl"
}

install_flink() {
  local ver=$1 dir="$CACHE/flink/$1" tmp home f
  home=$(flink_home "$ver")
  if flink_complete "$dir"; then
    log "flink $ver already installed"
  else
    log "installing flink $ver"
    tmp="$CACHE/flink/.$ver.partial"
    rm -rf "$tmp"
    mkdir -p "$CACHE/flink"
    local libs=() pip_log="$CACHE/flink/.$ver.pip.log"
    if needs_libraries "$ver"; then
      libs=("apache-flink-libraries==$ver")
    fi
    # 1. A wheel built for this Python (never build the apache-flink sdist here:
    #    its build dependencies alone can take many minutes to compile).
    if pip_target "$tmp" --only-binary apache-flink "apache-flink==$ver" "${libs[@]}" \
        >"$pip_log" 2>&1; then
      :
    else
      rm -rf "$tmp"
      # 2. The wheel built for an older CPython, unzipped, plus the libraries.
      if (( ${#libs[@]} )) && ! pip_target "$tmp" "${libs[@]}" >>"$pip_log" 2>&1; then
        die "flink $ver: could not install ${libs[*]} (see $pip_log)"
      fi
      if ! unpack_foreign_wheel "$ver" "$tmp" || ! flink_complete "$tmp"; then
        # 3. The sdist: 1.9.3 has no wheel at all (1.10.3 no usable one), and
        #    the sdist (which holds the jars) builds fine.
        log "flink $ver: no usable wheel found, installing from the sdist"
        rm -rf "$tmp"
        pip_target "$tmp" "apache-flink==$ver" "${libs[@]}" >>"$pip_log" 2>&1 \
          || die "flink $ver: could not install apache-flink==$ver (see $pip_log)"
      fi
    fi
    rm -f "$pip_log"
    flink_complete "$tmp" || die "flink $ver: bin/flink or lib/flink-dist*.jar missing after install"
    rm -rf "$dir"
    mv "$tmp" "$dir"
  fi
  # zip extraction drops the executable bits; pip keeps them. Set them always.
  while IFS= read -r -d '' f; do
    chmod +x "$f"
  done < <(find "$home/bin" -type f ! -name '*.jar' ! -name '*.bat' ! -name '*.cmd' -print0)
  [[ -x $home/bin/flink ]] || die "flink $ver: $home/bin/flink is not executable"
}

# ---------------------------------------------------------------- azure-cli
install_azure_cli() {
  local venv="$CACHE/azure-cli"
  if [[ -x $venv/bin/az ]] && "$venv/bin/az" version --output none >/dev/null 2>&1; then
    log "azure-cli already installed"
    return
  fi
  log "installing azure-cli into $venv (several minutes)"
  if ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
    apt_install python3-venv
  fi
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check azure-cli
  [[ -x $venv/bin/az ]] || die "azure-cli: $venv/bin/az missing after install"
  "$venv/bin/az" version --output none >/dev/null 2>&1 || die "azure-cli: az version failed"
}

# ------------------------------------------------------------------- awscli
# awscli_ok VENV: the pinned awscli runs, and its parser knows the newest
# operation the runbooks use (a valid call gets as far as the network).
awscli_ok() {
  local venv=$1 out
  [[ -x $venv/bin/aws ]] || return 1
  [[ $("$venv/bin/aws" --version 2>&1) == "aws-cli/$AWSCLI_VERSION "* ]] || return 1
  out=$(AWS_ACCESS_KEY_ID=AKIAWAYMARKSETUP AWS_SECRET_ACCESS_KEY=setup AWS_EC2_METADATA_DISABLED=true \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_MAX_ATTEMPTS=1 \
    "$venv/bin/aws" --endpoint-url http://127.0.0.1:9 kinesisanalyticsv2 list-application-operations \
    --region eu-west-1 --application-name setup-check 2>&1)
  [[ $out == *"Could not connect to the endpoint URL"* ]]
}

install_awscli() {
  local venv="$CACHE/awscli"
  if awscli_ok "$venv"; then
    log "awscli $AWSCLI_VERSION already installed"
    return
  fi
  log "installing awscli $AWSCLI_VERSION into $venv"
  if ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
    apt_install python3-venv
  fi
  # Not complete until awscli_ok holds: an interrupted install is redone.
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "awscli==$AWSCLI_VERSION"
  awscli_ok "$venv" || die "awscli: $venv/bin/aws does not run as awscli $AWSCLI_VERSION"
}

# ----------------------------------------------------- kubectl, manifests
install_kubectl() {
  if have kubectl && kubectl version --client >/dev/null 2>&1; then
    log "kubectl present: $(kubectl version --client 2>/dev/null | head -n 1)"
    return
  fi
  log "installing kubectl from Debian (kubernetes-client)"
  apt_install kubernetes-client
  kubectl version --client >/dev/null 2>&1 || die "kubectl: not runnable after installing kubernetes-client"
}

install_manifest_check() {
  local venv="$CACHE/manifest-check"
  if [[ -x $venv/bin/python ]] && "$venv/bin/python" -c 'import jsonschema, yaml' >/dev/null 2>&1; then
    log "manifest-check venv already installed"
    return
  fi
  log "installing jsonschema and PyYAML into $venv"
  if ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
    apt_install python3-venv
  fi
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check jsonschema pyyaml
  "$venv/bin/python" -c 'import jsonschema, yaml' || die "manifest-check: jsonschema or PyYAML missing after install"
}

# ------------------------------------------------------------ hadoop client
PYSPARK_VERSION=3.5.5
HADOOP_JARS=(hadoop-client-api-3.3.4.jar hadoop-client-runtime-3.3.4.jar hadoop-shaded-guava-1.1.1.jar commons-logging-1.1.3.jar)
install_hadoop_client() {
  local dir="$CACHE/hadoop-client" tmp jar ok=1
  for jar in "${HADOOP_JARS[@]}"; do [[ -s $dir/$jar ]] || ok=0; done
  if (( ok )); then
    log "hadoop client jars already installed"
    return
  fi
  log "taking Hadoop's client jars from the pyspark $PYSPARK_VERSION sdist (about 320 MB)"
  tmp=$(mktemp -d "$CACHE/.hadoop-client.XXXXXX")
  "$PYTHON" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
    "pyspark==$PYSPARK_VERSION" -d "$tmp" || die "hadoop client: pip download pyspark==$PYSPARK_VERSION failed"
  mkdir -p "$tmp/jars"
  tar -xzf "$tmp/pyspark-$PYSPARK_VERSION.tar.gz" -C "$tmp/jars" --no-same-owner --strip-components=3 \
    "${HADOOP_JARS[@]/#/pyspark-$PYSPARK_VERSION/deps/jars/}" || die "hadoop client: the pyspark sdist lacks ${HADOOP_JARS[*]}"
  rm -rf "$dir"
  mv "$tmp/jars" "$dir"
  rm -rf "$tmp"
}

# ---------------------------------------------------------------------- main
time_part shellcheck install_shellcheck

if (( want_flink )); then
  if ! have java; then
    log "java not found; installing a JRE from Debian"
    time_part java apt_install openjdk-17-jre-headless
  fi
  for ver in "${flink_versions[@]}"; do
    time_part "flink $ver" install_flink "$ver"
  done
fi

if (( want_azure )); then
  time_part azure-cli install_azure_cli
fi

if (( want_aws )); then
  time_part awscli install_awscli
fi
if (( want_hadoop )); then
  time_part hadoop-client install_hadoop_client
fi
if (( want_k8s )); then
  time_part kubectl install_kubectl
  time_part manifest-check install_manifest_check
fi

log "timings: ${timings[*]/%/;}"
if (( want_flink )); then
  for ver in "${flink_versions[@]}"; do
    printf 'FLINK_HOME(%s)=%s\n' "$ver" "$(flink_home "$ver")"
  done
fi
if (( want_azure )); then
  printf 'AZ=%s\n' "$CACHE/azure-cli/bin/az"
fi
if (( want_aws )); then
  printf 'AWS=%s\n' "$CACHE/awscli/bin/aws"
fi
if (( want_hadoop )); then
  printf 'HADOOP_CLIENT=%s\n' "$CACHE/hadoop-client"
fi
if (( want_k8s )); then
  printf 'KUBECTL=%s\nMANIFEST_PYTHON=%s\n' "$(command -v kubectl)" "$CACHE/manifest-check/bin/python"
fi
