# Shared by the scripts: build the modules when their sources are newer than their jars, and compute class paths.
# Sourced, not run.

MAILPROBE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Builds and installs the modules (skipping tests) when any source or pom is newer than the last build stamp.
mailprobe_build() {
  local stamp="$MAILPROBE_HOME/target/.build-stamp"
  local newer
  if [ -f "$stamp" ]; then
    newer=$(find "$MAILPROBE_HOME/pom.xml" "$MAILPROBE_HOME"/*/pom.xml "$MAILPROBE_HOME"/*/src -newer "$stamp" -type f -print -quit 2>/dev/null)
    [ -z "$newer" ] && return 0
  fi
  echo "mailprobe: building (first run or sources changed) ..." >&2
  mkdir -p "$MAILPROBE_HOME/target"
  (cd "$MAILPROBE_HOME" && mvn -q -B -ntp -DskipTests install >"$MAILPROBE_HOME/target/build.log" 2>&1) || {
    echo "mailprobe: build failed; see $MAILPROBE_HOME/target/build.log" >&2
    tail -30 "$MAILPROBE_HOME/target/build.log" >&2
    return 1
  }
  rm -f "$MAILPROBE_HOME"/target/*.classpath
  touch "$stamp"
}

# Prints the runtime class path of a module (its jar and its dependencies), cached until the next build.
mailprobe_classpath() {
  local module="$1" scope="${2:-runtime}"
  local cache="$MAILPROBE_HOME/target/$module-$scope.classpath"
  if [ ! -s "$cache" ]; then
    (cd "$MAILPROBE_HOME/$module" && mvn -q -B -ntp dependency:build-classpath -Dmdep.includeScope="$scope" \
        -Dmdep.outputFile="$cache" >/dev/null 2>&1) || { echo "mailprobe: cannot compute the class path of $module" >&2; return 1; }
  fi
  local jar
  jar=$(ls "$MAILPROBE_HOME/$module"/target/mailprobe-"$module"-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1)
  printf '%s:%s' "$jar" "$(cat "$cache")"
}
