# Sourced by bin/run and bin/test: exports JAVA_HOME pointing at a JDK 21 or newer, or stops with what to install.
# Order: JAVA_HOME if it is new enough → the java on PATH → the newest JDK under /usr/lib/jvm.

jdk_feature() {
  local release="$1/release"
  [ -x "$1/bin/java" ] && [ -r "$release" ] || { echo 0; return; }
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1
}

pick_jdk() {
  local candidate best="" best_feature=0 feature
  if [ -n "${JAVA_HOME:-}" ] && [ "$(jdk_feature "$JAVA_HOME")" -ge 21 ]; then
    echo "$JAVA_HOME"; return
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if [ "$(jdk_feature "$candidate")" -ge 21 ]; then echo "$candidate"; return; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    feature=$(jdk_feature "$candidate")
    if [ "${feature:-0}" -ge 21 ] && [ "$feature" -gt "$best_feature" ]; then
      best="$candidate"; best_feature="$feature"
    fi
  done
  echo "$best"
}

JAVA_HOME=$(pick_jdk)
if [ -z "$JAVA_HOME" ]; then
  echo "This project needs a JDK 21 or newer (the platform and Keycloak both run on it), and none was found:" >&2
  echo "  JAVA_HOME=${JAVA_HOME:-unset}, java on PATH: $(java -version 2>&1 | head -n 1 || echo none), nothing in /usr/lib/jvm." >&2
  echo "Install one (e.g. Temurin 25, or 'apt-get install openjdk-21-jdk') and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
