# Sourced by run-local.sh and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Keeps a JAVA_HOME that is already 21+, else looks for Temurin 25, then any JDK under
# /usr/lib/jvm; fails with a clear message if there is none.

java_major() {
  "$1/bin/java" -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p'
}

find_java_home() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ]; then
      local major
      major=$(java_major "$candidate")
      if [ -n "$major" ] && [ "$major" -ge 21 ]; then
        echo "$candidate"
        return 0
      fi
    fi
  done
  return 1
}

if ! JAVA_HOME=$(find_java_home); then
  echo "No JDK 21 or newer found. Install one (JDK 25 is the reference) and set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
