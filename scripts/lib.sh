# Shared by the scripts: build the modules when their sources are newer than their jars, and compute class paths.
# Sourced, not run.

MAILPROBE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Builds and installs the modules (skipping tests) when any source or pom is newer than the last build stamp.
mailprobe_build() {
  local stamp="$MAILPROBE_HOME/target/.build-stamp"
  local newer
  if [ -f "$stamp" ]; then
    newer=$(find "$MAILPROBE_HOME/pom.xml" "$MAILPROBE_HOME"/*/pom.xml "$MAILPROBE_HOME"/*/src "$MAILPROBE_HOME/scripts/lib.sh" -newer "$stamp" -type f -print -quit 2>/dev/null)
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

# Prints the class path of a module at a scope (its jar and its dependencies: runtime = compile + runtime scopes,
# compile = compile + provided, test = all), cached until the next build.
mailprobe_classpath() {
  local module="$1" scope="${2:-runtime}"
  local cache="$MAILPROBE_HOME/target/$module-$scope.classpath"
  if [ ! -s "$cache" ]; then
    (cd "$MAILPROBE_HOME/$module" && mvn -q -B -ntp dependency:build-classpath -DincludeScope="$scope" \
        -Dmdep.outputFile="$cache" >/dev/null 2>&1) || { echo "mailprobe: cannot compute the class path of $module" >&2; return 1; }
  fi
  local jar
  jar=$(ls "$MAILPROBE_HOME/$module"/target/mailprobe-"$module"-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1)
  printf '%s:%s' "$jar" "$(mailprobe_own_jars <"$cache")"
}

# Maven resolves the project's own modules from the local repository, which any checkout of the project can
# overwrite with its own install; the scripts run this checkout's jars instead.
mailprobe_own_jars() {
  local entry out="" module
  local IFS=':'
  for entry in $(cat); do
    case "$entry" in
      */io/mailprobe/mailprobe-*/*)
        module=${entry##*/io/mailprobe/mailprobe-}
        module=${module%%/*}
        entry="$MAILPROBE_HOME/$module/target/${entry##*/}"
        ;;
    esac
    out="${out:+$out:}$entry"
  done
  printf '%s' "$out"
}
