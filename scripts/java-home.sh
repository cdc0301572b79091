# Sourced by run-local.sh and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Keeps a JAVA_HOME that is already 21+, else takes Temurin 25, then any JDK under /usr/lib/jvm,
# then the one javac on the PATH belongs to; fails with a clear message if there is none.

java_major() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }' \
    | awk -F. '{ print ($1 == "1") ? $2 : $1 }'
}

is_jdk21() {
  [[ -n "${1:-}" && -x "$1/bin/java" && -x "$1/bin/javac" ]] || return 1
  local major
  major="$(java_major "$1")"
  [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 21))
}

find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25*/ /usr/lib/jvm/*/; do
    candidate="${candidate%/}"
    if is_jdk21 "$candidate"; then
      echo "$candidate"
      return
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    if is_jdk21 "$candidate"; then
      echo "$candidate"
      return
    fi
  fi
  return 1
}

if ! JAVA_HOME="$(find_jdk)"; then
  echo "No JDK 21 or newer found (checked JAVA_HOME, /usr/lib/jvm/*, javac on the PATH)." >&2
  echo "Install one (JDK 25 is the reference, e.g. Temurin 25) or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
