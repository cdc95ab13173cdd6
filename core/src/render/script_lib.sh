# ---- Waymark run-time: the same in every generated script ----
# Reads the plan's tables above (PLAN_PHASES, PLAN_STEPS, CAPTURED, SECRETS,
# SOAK_DAYS, DECOMMISSION_*) and the phase functions below. Nothing here is
# ever evaluated from data: values from the state file are checked and
# assigned with printf -v, commands run as argument lists.

SELF=${BASH_SOURCE[0]:-$WAYMARK_SCRIPT}
RECORD_FILE=${WAYMARK_RECORD_FILE:-${STATE_FILE%.state}.record}
POLL=${WAYMARK_POLL_SECONDS:-5}
[[ $POLL =~ ^[0-9]+$ ]] || POLL=5
WHO="${USER:-$(id -un 2>/dev/null || echo unknown)}@${HOSTNAME:-$(uname -n 2>/dev/null || echo unknown)}"
YES=0
DRY_RUN=0
STATUS=0
WANT=()
declare -A CONFIRMED_NOW=() DONE=() STARTED=() STEP_DONE=() CONFIRMED=() BEGUN=() FINISHED=() REDO=() KNOWN_STEP=() KNOWN_PHASE=()
for _s in "${PLAN_STEPS[@]}"; do KNOWN_STEP[$_s]=1; done
for _s in "${PLAN_PHASES[@]}"; do KNOWN_PHASE[$_s]=1; done
DONE_BY_HAND=()
REDO_LIST=()
SET_VALUES=()
STATE_LINES=0
CUR_PHASE=""
CUR_STEP=""
CUR_TITLE=""
CUR_K=0
SECRET_DIR=""
LOCK_DIR=""
SSH_OPTS=()
SSH_DIR=""

# ssh: every call of a run shares one connection per host (ControlMaster,
# the socket in the run's private directory), so a password is asked once
# per cluster, not once per command. Set by read_secrets.
ssh() { command ssh ${SSH_OPTS[@]+"${SSH_OPTS[@]}"} "$@"; }

usage() {
  cat <<EOF
Usage: bash $SELF [PHASE...] [OPTION...]

Phases of this plan: ${PLAN_PHASES[*]}.
Without a phase, runs the next unfinished ones of prepare, preflight, cutover
and verify. The cutover always runs the pre-flight checks first (until it has
begun). rollback and decommission run only when named; decommission only
after verify finished and the soak ($SOAK_DAYS days) is over, and only after
you type $DECOMMISSION_WHAT.

A rerun carries on where the last run stopped: finished steps and commands are
skipped, so nothing that changes the world runs twice.

Options:
  --yes, -y         answer yes to the question before each phase. It never
                    answers for a person: a step done by hand, or one that
                    needs a person's judgement, is asked at a terminal, and
                    otherwise stops the run (exit 3) until you confirm it
                    with --done.
  --done STEP       record that you did STEP by hand (or checked it), with
                    your user, host and the time, then run. A step's
                    commands are then skipped; its checks still run.
                    Repeatable.
  --redo STEP       run STEP again although it finished; name its phase
                    too. Repeatable.
  --set NAME=VALUE  give a value a command printed that the script could not
                    read (a savepoint path, a job id), then run.
  --rollback        the same as naming the phase rollback.
  --decommission    the same as naming the phase decommission.
  --dry-run, -n     print every step and command; run and record nothing.
  --status          print what the state file says has run, then stop.
  --help, -h        this text.

Checks are tried every WAYMARK_POLL_SECONDS (default 5) until they hold or
their wait runs out.

Exit status: 0 done; 1 a command or check failed (fix the cause, then run the
same command again); 2 bad usage; 3 stopped for a person (see the message).

Files: $STATE_FILE (what has run; set WAYMARK_STATE_FILE to move it) and
$RECORD_FILE (the run record for the change ticket: who ran what, when,
with which result; secrets masked).
EOF
}

say() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$@"; }
warn() { printf '%s\n' "$*" >&2; }

# Replaces every secret's value in $1 with <secret:NAME>.
mask() {
  local text=$1 name
  for name in "${SECRETS[@]}"; do
    if [[ -n ${!name:-} ]]; then text=${text//"${!name}"/<secret:$name>}; fi
  done
  printf '%s' "$text"
}

# The words of a command as a person would type them, secrets masked.
shown() {
  local text
  # Template text run through bash -c reads best as it was written.
  if [[ $# == 5 && $1 == bash && $2 == -o && $3 == pipefail && $4 == -c ]]; then
    text=" $5"
  else
    # Quoted as the runbook quotes: bare, '…', "…" around a single quote
    # with nothing bash expands there, else printf %q.
    local a
    text=""
    for a in "$@"; do
      if [[ -n $a && $a != *[!A-Za-z0-9_@%+=:,./-]* ]]; then text+=" $a"
      elif [[ $a != *"'"* ]]; then text+=" '$a'"
      elif [[ $a != *[\"\$\`\\!]* && $a != *$'\n'* ]]; then text+=" \"$a\""
      else text+=" $(printf %q "$a")"; fi
    done
  fi
  if [[ -n $SECRET_DIR ]]; then text=${text//"$SECRET_DIR"/<private-secret-dir>}; fi
  mask "${text# }"
}

# record EVENT...: one line of the run record.
record() {
  [[ $DRY_RUN == 1 ]] && return 0
  local line
  line=$(mask "$*")
  line=${line//$'\n'/ }
  printf '%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$WHO" "${CUR_STEP:-${CUR_PHASE:--}}" "$line" >>"$RECORD_FILE"
}

# state KIND FIELD...: one line of the state file.
state() {
  [[ $DRY_RUN == 1 ]] && return 0
  local IFS=$'\t'
  printf '%s\n' "$*" >>"$STATE_FILE"
}

# known_command STEP#K: a command key of this plan's steps.
known_command() {
  [[ $1 =~ ^[A-Za-z0-9._-]+#[0-9]+$ && -n ${KNOWN_STEP[${1%#*}]:-} ]]
}

is_captured() {
  local name
  for name in "${CAPTURED[@]}"; do [[ $name == "$1" ]] && return 0; done
  return 1
}

# Reads the state file. Every line is data: unknown or malformed lines are
# reported and ignored, never evaluated.
load_state() {
  [[ -f $STATE_FILE ]] || return 0
  STATE_LINES=$(grep -c . "$STATE_FILE" || true)
  local kind a b c n=0
  while IFS=$'\t' read -r kind a b c || [[ -n $kind ]]; do
    n=$((n + 1))
    case "$kind" in
      "done" | started | cleared)
        if ! known_command "$a"; then
          warn "State file line $n: unknown command '$a'; ignored."
        elif [[ $kind == "done" ]]; then
          DONE+=(["$a"]=1)
          unset 'STARTED[$a]'
        elif [[ $kind == started ]]; then
          STARTED+=(["$a"]=1)
        else
          unset 'STARTED[$a]'
        fi ;;
      step) if [[ -n ${KNOWN_STEP[$a]:-} ]]; then STEP_DONE[$a]=1; else warn "State file line $n: unknown step '$a'; ignored."; fi ;;
      redone) [[ -n ${KNOWN_STEP[$a]:-} ]] && forget_step "$a" ;;
      confirmed) if [[ -n ${KNOWN_STEP[$a]:-} ]]; then CONFIRMED[$a]="$b at $c"; else warn "State file line $n: unknown step '$a'; ignored."; fi ;;
      begun | finished)
        if [[ -n ${KNOWN_PHASE[$a]:-} && $b =~ ^[0-9]+$ ]]; then
          if [[ $kind == begun ]]; then BEGUN[$a]=$b; else FINISHED[$a]=$b; fi
        else
          warn "State file line $n: bad phase line; ignored."
        fi ;;
      value)
        if is_captured "$a"; then printf -v "$a" '%s' "$b"; export "${a?}"; else warn "State file line $n: unknown value '$a'; ignored."; fi ;;
      '' | '#'*) ;;
      *) warn "State file line $n: unknown entry '$kind'; ignored." ;;
    esac
  done <"$STATE_FILE"
}

# Forgets that step $1 and its commands ran (--redo).
forget_step() {
  local k
  local step=$1
  unset 'STEP_DONE[$step]' 'CONFIRMED[$step]'
  for k in "${!DONE[@]}"; do [[ ${k%#*} == "$step" ]] && unset 'DONE[$k]'; done
  for k in "${!STARTED[@]}"; do [[ ${k%#*} == "$step" ]] && unset 'STARTED[$k]'; done
  return 0
}

status() {
  local p
  printf 'State file: %s\n' "$STATE_FILE"
  for p in "${PLAN_PHASES[@]}"; do
    if [[ -n ${FINISHED[$p]:-} ]]; then printf '  %-13s finished %s\n' "$p" "$(when "${FINISHED[$p]}")"
    elif [[ -n ${BEGUN[$p]:-} ]]; then printf '  %-13s begun %s, not finished\n' "$p" "$(when "${BEGUN[$p]}")"
    else printf '  %-13s not begun\n' "$p"; fi
  done
  for p in "${PLAN_STEPS[@]}"; do
    [[ -n ${STEP_DONE[$p]:-} ]] && printf '  done: %s\n' "$p"
  done
  for p in "${CAPTURED[@]}"; do
    [[ -n ${!p:-} ]] && printf '  %s=%s\n' "$p" "${!p}"
  done
  return 0
}

when() { date -u -d "@$1" +%Y-%m-%dT%H:%MZ 2>/dev/null || printf '%s' "$1"; }

# Stops the run at the current step with what went wrong and the way on.
fail() {
  printf '\nStopped at %s: %s\n' "${CUR_TITLE:-$CUR_PHASE}" "$1" >&2
  record "stopped: $1"
  if [[ $CUR_PHASE == preflight || $CUR_PHASE == prepare ]]; then
    warn "Nothing in production has changed. Fix the cause, then run the same command again."
  else
    warn "Fix the cause, then run the same command again: finished steps are skipped."
    if [[ $CUR_PHASE == cutover || $CUR_PHASE == verify ]]; then
      warn "To go back instead: bash $SELF rollback"
    fi
  fi
  exit 1
}

# Stops the run for a person; exit 3.
stop_for_person() {
  printf '\nThis step needs a person: %s\n' "$1" >&2
  warn "When it is done, carry on with: bash $SELF ${WANT[*]} --done $CUR_STEP"
  record "waiting for a person: $1"
  exit 3
}

# Asks yes or no; --yes answers. Without a terminal and without --yes, stops.
ask() {
  if [[ $YES == 1 || $DRY_RUN == 1 ]]; then return 0; fi
  local answer=""
  if ! [[ -t 0 ]] || ! read -r -p "$1 [y/N] " answer; then
    warn "No terminal to ask: $1 Run with --yes to answer the phase questions."
    exit 3
  fi
  case "$answer" in
    y | Y | yes | YES) record "answered yes: $1" ;;
    *) warn "Stopped: not confirmed."; exit 1 ;;
  esac
}

# person TEXT: a person confirms TEXT (done by hand, or checked). Never
# answered by --yes.
person() {
  # The pre-flight is a fresh look each time: only this run's answers count.
  if [[ -n ${CONFIRMED[$CUR_STEP]:-} && ($CUR_PHASE != preflight || -n ${CONFIRMED_NOW[$CUR_STEP]:-}) ]]; then
    note "Confirmed by ${CONFIRMED[$CUR_STEP]}."
    return 0
  fi
  if [[ $DRY_RUN == 1 ]]; then note "(a person confirms: $1)"; return 0; fi
  local answer=""
  if [[ -t 0 ]] && read -r -p "$1 Confirm [y/N] " answer; then
    case "$answer" in
      y | Y | yes | YES)
        CONFIRMED[$CUR_STEP]="$WHO at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        CONFIRMED_NOW[$CUR_STEP]=1
        state confirmed "$CUR_STEP" "$WHO" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        record "confirmed by a person: $1"
        return 0 ;;
    esac
    warn "Not confirmed."
  fi
  stop_for_person "$1"
}

# begin_step ID TITLE DETAIL: returns 1 (skip) when the step finished before.
begin_step() {
  CUR_STEP=$1 CUR_TITLE=$2 CUR_K=0
  say "$2"
  if [[ $CUR_PHASE != preflight && -n ${STEP_DONE[$1]:-} ]]; then
    note "Already done (state file); skipped."
    return 1
  fi
  if [[ -n $3 ]]; then note "$3"; fi
  record "step begins: $2"
  return 0
}

end_step() {
  if [[ $CUR_PHASE != preflight ]]; then
    STEP_DONE[$CUR_STEP]=1
    state step "$CUR_STEP"
  fi
  record "step done"
}

# by_hand TEXT...: a command for a person, printed, never run.
by_hand() { note "$@"; }

# act [if=VAR] [may-fail] [each-run] [capture=VAR after=TEXT [until=TEXT]
#     [recover=FN]] [sh] -- WORDS...: runs a command once. A finished command
#     is skipped on a rerun; a captured value goes to the state file. An
#     each-run command (a file in the private directory, which lives for one
#     run) runs on every run that reaches it and is never recorded as done.
act() {
  local only_if="" may_fail=0 each_run=0 var="" after="" until="" recover="" sh=0
  while [[ $1 != -- ]]; do
    case "$1" in
      if=*) only_if=${1#if=} ;;
      may-fail) may_fail=1 ;;
      each-run) each_run=1 ;;
      capture=*) var=${1#capture=} ;;
      after=*) after=${1#after=} ;;
      until=*) until=${1#until=} ;;
      recover=*) recover=${1#recover=} ;;
      sh) sh=1 ;;
    esac
    shift
  done
  shift
  # The pre-flight only reads, and reads afresh on every run.
  [[ $CUR_PHASE == preflight ]] && each_run=1
  CUR_K=$((CUR_K + 1))
  local key="$CUR_STEP#$CUR_K" text
  if [[ $sh == 1 ]]; then text=$(mask "${*: -1}"); else text=$(shown "$@"); fi
  if [[ -n $only_if && -z ${!only_if:-} ]]; then
    note "Skipped: $only_if is not known (that step never ran)."
    return 0
  fi
  if [[ $each_run == 0 && -n ${DONE[$key]:-} ]]; then
    note "Already ran (state file): $text"
    return 0
  fi
  if [[ -n ${CONFIRMED_NOW[$CUR_STEP]:-} && $CUR_PHASE != preflight ]]; then
    # --done STEP: a person did this step by hand; its checks still run.
    note "Done by hand (--done), not run: $text"
    [[ -n $var && -z ${!var:-} ]] && fail "--done $CUR_STEP skips a command that gives $var: give it too, with --set $var=<value>."
    return 0
  fi
  printf '+ %s\n' "$text"
  if [[ $DRY_RUN == 1 ]]; then
    if [[ -n $var ]]; then printf -v "$var" '<%s>' "$var"; export "${var?}"; fi
    return 0
  fi
  if [[ -n $var && -n ${STARTED[$key]:-} && -n ${!var:-} ]]; then
    note "$var is known (${!var}); the command is not run again."
    done_cmd "$key"
    return 0
  fi
  if [[ -n $var && -n ${STARTED[$key]:-} ]]; then
    note "This command ran in an earlier run without giving $var."
    if [[ -n $recover ]] && recover_value "$var" "$after" "$until" "$recover"; then
      done_cmd "$key"
      return 0
    elif [[ ${RECOVER_RC:-1} == 3 ]]; then
      note "It did not take effect, so it runs again."
    else
      fail "$var is unknown: the command ran before but its result was not read. Find the value by hand, then run: bash $SELF ${WANT[*]} --set $var=<value> (or --redo $CUR_STEP to run the step again)."
    fi
  fi
  record "run: $text"
  local rc=0
  if [[ -z $var ]]; then
    "$@" || rc=$?
    record "exit $rc"
    if [[ $rc != 0 ]]; then
      if [[ $may_fail == 1 ]]; then
        note "That failed (exit $rc); going on (clean-up)."
        done_cmd "$key"
        return 0
      fi
      fail "the command failed (exit $rc): $text"
    fi
    [[ $each_run == 1 ]] || done_cmd "$key"
    return 0
  fi
  STARTED[$key]=1
  state started "$key"
  local out
  out=$(mktemp)
  set +e
  "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  record "exit $rc"
  local value
  value=$(extract "$after" "$until" <"$out")
  rm -f "$out"
  if [[ $rc != 0 && -n $value ]]; then
    # It printed its result, so it took effect: keep the value, never run it again.
    note "The command exited $rc after printing $var; the value is kept."
  elif [[ $rc != 0 ]]; then
    if [[ -n $recover ]]; then
      note "The command failed (exit $rc); reading $var from the system instead."
      if recover_value "$var" "$after" "$until" "$recover"; then
        done_cmd "$key"
        return 0
      fi
      if [[ ${RECOVER_RC:-1} == 3 ]]; then
        unset 'STARTED[$key]'
        state cleared "$key"
        fail "the command failed (exit $rc) and did not take effect: $text"
      fi
      fail "the command failed (exit $rc) and $var could not be read from the system. Find it by hand, then run: bash $SELF ${WANT[*]} --set $var=<value>"
    fi
    unset 'STARTED[$key]'
    state cleared "$key"
    fail "the command failed (exit $rc): $text"
  fi
  if [[ -z $value ]]; then
    fail "expected a line with \"$after\" in the output above, to read $var. Find the value by hand, then run: bash $SELF ${WANT[*]} --set $var=<value> (or --redo $CUR_STEP)."
  fi
  keep_value "$var" "$value"
  done_cmd "$key"
}

done_cmd() {
  DONE+=(["$1"]=1)  # not DONE[..]=: shellcheck 0.9 reads it as a misspelt done
  state 'done' "$1"
}

# extract AFTER UNTIL: from standard input, the text after AFTER on the last
# line that has it, cut before UNTIL, trimmed, without a closing period.
extract() {
  local line value=""
  while IFS= read -r line || [[ -n $line ]]; do
    case "$line" in *"$1"*) value=${line##*"$1"} ;; esac
  done
  if [[ -n $2 ]]; then value=${value%%"$2"*}; fi
  value="${value#"${value%%[![:space:]]*}"}"
  value="${value%"${value##*[![:space:]]}"}"
  printf '%s' "${value%.}"
}

keep_value() {
  if [[ $2 == *$'\t'* || $2 == *$'\n'* ]]; then fail "the value of $1 has a tab or a line break; refusing to keep it."; fi
  printf -v "$1" '%s' "$2"
  export "${1?}"
  state value "$1" "$2"
  record "value $1=$2"
  note "$1=$2 (kept in $STATE_FILE)"
}

# recover_value VAR AFTER UNTIL FN: runs the read-only FN, which prints the
# value (exit 0), says the command did not take effect (exit 3) or cannot
# tell (other). Sets RECOVER_RC. (AFTER and UNTIL are the capture's; FN
# extracts with its own.)
recover_value() {
  local out value name
  # The read sees every value the plan knows (never a secret), to tell
  # what it finds from what was there before.
  WAYMARK_VALUES=""
  for name in "${VALUE_VARS[@]}"; do WAYMARK_VALUES+="${!name:-} "; done
  export WAYMARK_VALUES
  RECOVER_RC=0
  out=$("$4" 2>&1) || RECOVER_RC=$?
  record "recover $1: exit $RECOVER_RC"
  [[ $RECOVER_RC == 0 ]] || return 1
  value=$out
  if [[ -z $value ]]; then RECOVER_RC=1; return 1; fi
  note "Read $1 from the system."
  keep_value "$1" "$value"
}

# judge KIND ARG RC OUTPUT: does the check hold?
judge() {
  local kind=$1 arg=$2 rc=$3 out=$4
  case "$kind" in
    success) [[ $rc == 0 ]] ;;
    failure) [[ $rc != 0 ]] ;;
    exit-code) [[ $rc == "$arg" ]] ;;
    output)
      out="${out#"${out%%[![:space:]]*}"}"
      out="${out%"${out##*[![:space:]]}"}"
      [[ $rc == 0 && $out == "$arg" ]] ;;
    contains) [[ $rc == 0 && $out == *"$arg"* ]] ;;
    lacks) [[ $rc == 0 && $out != *"$arg"* ]] ;;
    matches) [[ $rc == 0 ]] && grep -Eq -- "$arg" <<<"$out" ;;
    lacks-match) [[ $rc == 0 ]] && ! grep -Eq -- "$arg" <<<"$out" ;;
    mentions) [[ $rc == 0 && -n ${!arg:-} && $out == *"${!arg}"* ]] ;;
    ids) [[ $rc == 0 && "$(ids_in "$out")" == "$(expected_ids "$arg")" ]] ;;
    *) return 1 ;;
  esac
}

ids_in() { grep -oE '\b[0-9a-f]{32}\b' <<<"$1" | sort -u | paste -sd' ' - || true; }
# expected_ids "A B/C": the values of A and of B (or C when B is unset).
expected_ids() {
  local entry name
  for entry in $1; do
    local IFS=/
    for name in $entry; do
      if [[ -n ${!name:-} ]]; then printf '%s\n' "${!name}"; break; fi
    done
  done | sort -u | paste -sd' ' - || true
}

# gate KIND ARG WAIT FAILS_ON HOLDS EXPECTED -- WORDS...: runs a read-only
# check until it holds or WAIT seconds pass; if it never holds, stops the run
# with what was expected and what was seen. Only standard output is judged.
gate() {
  local kind=$1 arg=$2 wait=$3 fails_on=$4 holds=$5 expected=$6
  shift 7
  if [[ $kind == ids ]]; then expected="the job ids listed are exactly: $(expected_ids "$arg")"; fi
  if [[ $kind == mentions ]]; then expected="the output contains ${!arg:-<$arg is unknown>}"; fi
  printf '? %s\n' "$(shown "$@")"
  if [[ $DRY_RUN == 1 ]]; then note "(check: $holds)"; return 0; fi
  local start=$SECONDS last=0 out="" err rc tries=0 max
  # At most one try per POLL seconds of the wait (one per second with POLL=0).
  max=$((wait / (POLL > 0 ? POLL : 1) + 1))
  err=$(mktemp)
  while :; do
    rc=0
    tries=$((tries + 1))
    out=$("$@" 2>"$err") || rc=$?
    if judge "$kind" "$arg" "$rc" "$out"; then
      rm -f "$err"
      note "ok: $holds"
      record "check ok: $holds"
      return 0
    fi
    if [[ -n $fails_on && $out == *"$fails_on"* ]]; then break; fi
    if ((SECONDS - start >= wait || tries >= max)); then break; fi
    if ((SECONDS - last >= 30 || last == 0)); then
      note "waiting: $holds ($((SECONDS - start))s of ${wait}s; last: $(head -c 120 <<<"${out:-exit $rc}" | head -n 1))"
      last=$SECONDS
    fi
    sleep "$POLL"
  done
  local seen
  seen=$(head -c 400 <<<"$out")
  if [[ -s $err ]]; then seen="$seen [stderr: $(head -c 200 "$err" | tr '\n' ' ')]"; fi
  rm -f "$err"
  fail "check failed after $((SECONDS - start))s: $holds. Expected: $expected. Seen (exit $rc): ${seen:-nothing}"
}

# Secrets: from the environment, or asked for without echo. Commands get
# them as files in a private directory, removed on every exit.
read_secrets() {
  local name p needed=" "
  for p in "${WANT[@]}"; do needed+="${PHASE_SECRETS[$p]:-} "; done
  for name in "${SECRETS[@]}"; do
    # Only what this run's phases use is asked for.
    if [[ $DRY_RUN == 0 && $needed != *" $name "* ]]; then continue; fi
    if [[ -z ${!name:-} ]]; then
      if [[ $DRY_RUN == 1 ]]; then printf -v "$name" '<secret>'
      elif [[ -t 0 ]]; then read -r -s -p "$name (not echoed): " "${name?}"; echo
      else warn "Set $name in the environment (it is never stored)."; exit 2
      fi
    fi
    export "${name?}"
  done
  if [[ $DRY_RUN == 1 ]]; then SECRET_DIR='<private-secret-dir>'; return 0; fi
  # A run killed with -9 cannot clean up: sweep the private directories of
  # runs that are gone.
  local stale pid
  for stale in "${TMPDIR:-/tmp}"/waymark-secrets-* /tmp/waymark-ssh-*; do
    [[ -d $stale && -O $stale ]] || continue
    case $stale in
      */waymark-secrets-*) pid=${stale##*/waymark-secrets-} ;;
      *) pid=${stale##*/waymark-ssh-} ;;
    esac
    pid=${pid%%-*}
    [[ $pid =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null && rm -rf -- "$stale"
  done
  SECRET_DIR=$(umask 077 && mktemp -d "${TMPDIR:-/tmp}/waymark-secrets-$$-XXXXXX")
  # Commands run through bash -c (rule-author template text) name it too.
  export SECRET_DIR
  for name in "${SECRETS[@]}"; do
    (umask 077 && printf '%s' "${!name}" >"$SECRET_DIR/$name")
  done
  # A socket path has at most 104 bytes: /ssh-%C takes 45 and ssh adds 17
  # while it binds, so under a long TMPDIR (macOS) the sockets get a private
  # directory of their own in /tmp.
  SSH_DIR=$SECRET_DIR
  if ((${#SSH_DIR} > 40)); then SSH_DIR=$(umask 077 && mktemp -d "/tmp/waymark-ssh-$$-XXXXXX"); fi
  SSH_OPTS=(-o ControlMaster=auto -o "ControlPath=$SSH_DIR/ssh-%C" -o ControlPersist=30m)
}

# Closes the shared SSH connections of this run.
close_ssh() {
  local sock
  [[ -n $SSH_DIR && -d $SSH_DIR ]] || return 0
  for sock in "$SSH_DIR"/ssh-*; do
    [[ -e $sock ]] || continue
    command ssh -o "ControlPath=$sock" -O exit waymark >/dev/null 2>&1 || warn "Could not close the SSH connection $sock; it ends by itself within 30 minutes."
  done
  if [[ $SSH_DIR != "$SECRET_DIR" ]]; then rm -rf -- "$SSH_DIR"; fi
}

cleanup() {
  local rc=$?
  if [[ -n $SECRET_DIR && -d $SECRET_DIR ]]; then close_ssh; rm -rf -- "$SECRET_DIR"; fi
  if [[ -n $LOCK_DIR ]]; then rm -rf -- "$LOCK_DIR"; fi
  if [[ $DRY_RUN == 0 && -n $CUR_PHASE ]]; then CUR_STEP="" && record "run ends: exit $rc"; fi
  exit "$rc"
}

take_lock() {
  LOCK_DIR="$STATE_FILE.lock"
  if ! [[ -d $(dirname "$STATE_FILE") ]]; then
    LOCK_DIR=""
    warn "The state file's directory $(dirname "$STATE_FILE") does not exist."
    exit 2
  fi
  if ! mkdir "$LOCK_DIR" 2>/dev/null; then
    LOCK_DIR=""
    warn "Another run holds $STATE_FILE.lock ($(cat "$STATE_FILE.lock/owner" 2>/dev/null || echo unknown)). If it has ended, remove that directory."
    exit 1
  fi
  printf '%s pid %s since %s\n' "$WHO" "$$" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$LOCK_DIR/owner"
}

# run_phase ID N TITLE STEPS: asks, then runs phase_ID and records it.
run_phase() {
  CUR_PHASE=$1 CUR_STEP="" CUR_TITLE="phase $3"
  say "Phase $2: $3"
  ask "Start phase $2, $3 ($4 steps)?"
  if [[ -z ${BEGUN[$1]:-} ]]; then
    BEGUN[$1]=$(date +%s)
    state begun "$1" "${BEGUN[$1]}"
  fi
  record "phase begins: $1"
  "phase_$1"
  CUR_STEP="" CUR_TITLE="phase $3"
  FINISHED[$1]=$(date +%s)
  state finished "$1" "${FINISHED[$1]}"
  record "phase finished: $1"
}

has_phase() { [[ -n ${KNOWN_PHASE[$1]:-} ]]; }

# Which phases this run takes, and whether the state allows them.
choose_phases() {
  local p
  if ((${#WANT[@]} == 0 && ${#REDO[@]} > 0)); then
    warn "--redo needs the phase to run, for example: bash $SELF cutover --redo ${!REDO[*]}"
    exit 2
  fi
  if ((${#WANT[@]} == 0)); then
    for p in prepare preflight cutover verify; do
      # Once the cutover has begun, prepare's questions wait for another day.
      [[ $p == prepare && -n ${BEGUN[cutover]:-} ]] && continue
      has_phase "$p" && [[ -z ${FINISHED[$p]:-} ]] && WANT+=("$p")
    done
    if ((${#WANT[@]} == 0)) && [[ $DRY_RUN == 0 ]]; then
      say "Prepare, cutover and verify are finished."
      note "Next: watch the new system for $SOAK_DAYS days, then: bash $SELF decommission" "To go back instead: bash $SELF rollback"
      exit 0
    fi
    if [[ $DRY_RUN == 1 ]]; then WANT=("${PLAN_PHASES[@]}"); fi
  fi
  local -a ordered=()
  for p in "${PLAN_PHASES[@]}"; do
    local w
    for w in "${WANT[@]}"; do [[ $w == "$p" ]] && ordered+=("$p") && break; done
  done
  # The cutover runs the pre-flight first, until it has begun.
  local with_preflight=()
  for p in "${ordered[@]}"; do
    if [[ $p == cutover && -z ${BEGUN[cutover]:-} ]] && has_phase preflight; then
      [[ ${with_preflight[*]:-} == *preflight* ]] || with_preflight+=(preflight)
    fi
    [[ $p == preflight && -n ${BEGUN[cutover]:-} ]] && continue
    [[ ${with_preflight[*]:-} == *"$p"* ]] || with_preflight+=("$p")
  done
  WANT=("${with_preflight[@]}")
  [[ $DRY_RUN == 1 ]] && return 0
  for p in "${WANT[@]}"; do
    case "$p" in
      cutover)
        if has_phase prepare && [[ -z ${FINISHED[prepare]:-} && ${WANT[*]} != *prepare* && -z ${BEGUN[cutover]:-} ]]; then
          warn "Note: prepare has not finished (its rehearsal and checks by hand). The go/no-go asks whether they were done."
        fi ;;&
      cutover | verify)
        if [[ -n ${BEGUN[rollback]:-} ]]; then
          warn "This state file records a rollback. Start again with a fresh state file (set WAYMARK_STATE_FILE) once the cause is fixed."
          exit 1
        fi ;;&
      verify)
        if [[ -z ${FINISHED[cutover]:-} && ${WANT[*]} != *cutover* ]]; then
          warn "The cutover has not finished; verify runs after it."
          exit 1
        fi ;;
      rollback)
        if [[ -n ${BEGUN[decommission]:-} ]]; then
          warn "The decommission has begun: what the rollback needs may be gone. Roll back by hand if you must."
          exit 1
        fi
        if ((STATE_LINES == 0)); then
          warn "$STATE_FILE records no run of this plan, so the rollback cannot tell what changed. If the cutover ran with another state file, point WAYMARK_STATE_FILE at it."
          exit 1
        fi
        if [[ -z ${BEGUN[cutover]:-} ]]; then
          say "The cutover never began: production is as it was. Nothing to roll back."
          exit 0
        fi ;;
      decommission) check_decommission ;;
    esac
  done
}

check_decommission() {
  if [[ -n ${BEGUN[rollback]:-} ]]; then
    warn "This state file records a rollback: the old system is in use again. Nothing to decommission."
    exit 1
  fi
  if [[ -z ${FINISHED[verify]:-} ]]; then
    warn "Decommission runs only after verify has finished."
    exit 1
  fi
  local ends=$((FINISHED[verify] + SOAK_DAYS * 86400))
  if (($(date +%s) < ends)); then
    warn "The soak lasts $SOAK_DAYS days after verify finished ($(when "${FINISHED[verify]}")): decommission waits until $(when "$ends")."
    exit 1
  fi
}

# The irreversible phase starts only after a person types the value asked for.
type_to_confirm() {
  local expected=${!DECOMMISSION_VAR:-} answer=""
  say "Decommission cannot be undone."
  printf 'Type %s (%s) to go on: ' "$DECOMMISSION_WHAT" "$expected"
  if ! read -r answer; then warn "No answer; nothing was deleted."; exit 3; fi
  if [[ $answer != "$expected" ]]; then warn "That is not $expected; nothing was deleted."; exit 1; fi
  record "decommission confirmed by typing $DECOMMISSION_WHAT"
}

main() {
  while (($#)); do
    case "$1" in
      --yes | -y) YES=1 ;;
      --dry-run | -n) DRY_RUN=1 ;;
      --status) STATUS=1 ;;
      --rollback) WANT+=(rollback) ;;
      --decommission) WANT+=(decommission) ;;
      --done | --redo | --set)
        if (($# < 2)); then warn "$1 needs a value."; usage >&2; exit 2; fi
        case "$1" in
          --done) DONE_BY_HAND+=("$2") ;;
          --redo) REDO_LIST+=("$2") ;;
          --set) SET_VALUES+=("$2") ;;
        esac
        shift ;;
      --help | -h) usage; exit 0 ;;
      -*) warn "Unknown option: $1"; usage >&2; exit 2 ;;
      *)
        if has_phase "$1"; then WANT+=("$1"); else warn "Unknown phase: $1 (this plan has: ${PLAN_PHASES[*]})"; exit 2; fi ;;
    esac
    shift
  done
  if [[ $BLOCKED == 1 ]]; then blocked; exit 1; fi
  local s
  for s in "${DONE_BY_HAND[@]}" "${REDO_LIST[@]}"; do
    [[ -n ${KNOWN_STEP[$s]:-} ]] || { warn "Unknown step: $s (step ids are listed in the runbook)"; exit 2; }
  done
  for s in "${REDO_LIST[@]}"; do REDO+=(["$s"]=1); done
  for s in "${SET_VALUES[@]}"; do
    if ! [[ $s == *=* ]] || ! is_captured "${s%%=*}"; then
      warn "--set $s: give NAME=VALUE with a NAME this script reads from a command: ${CAPTURED[*]}"
      exit 2
    fi
  done
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [[ $DRY_RUN == 0 && $STATUS == 0 ]]; then
    take_lock
    : >>"$STATE_FILE"
  fi
  load_state
  if [[ $STATUS == 1 ]]; then status; exit 0; fi
  for s in "${!REDO[@]}"; do
    forget_step "$s"
    state redone "$s"
  done
  for s in "${DONE_BY_HAND[@]}"; do
    CONFIRMED[$s]="$WHO at $(date -u +%Y-%m-%dT%H:%M:%SZ) (--done)"
    CONFIRMED_NOW[$s]=1
    state confirmed "$s" "$WHO" "$(date -u +%Y-%m-%dT%H:%M:%SZ) (--done)"
    CUR_STEP=$s record "confirmed by a person with --done"
  done
  for s in "${SET_VALUES[@]}"; do keep_value "${s%%=*}" "${s#*=}"; done
  CUR_STEP=""
  choose_phases
  read_secrets
  local p n
  for p in "${WANT[@]}"; do
    [[ $p == decommission && $DRY_RUN == 0 ]] && type_to_confirm
    n=0
    for s in "${PLAN_PHASES[@]}"; do n=$((n + 1)); [[ $s == "$p" ]] && break; done
    run_phase "$p" "$n" "${PHASE_TITLE[$p]}" "${PHASE_STEPS[$p]}"
  done
  CUR_STEP=""
  say "Done: ${WANT[*]}."
  if [[ $DRY_RUN == 1 ]]; then note "(dry run: nothing was run or recorded)"; return 0; fi
  if [[ -n ${FINISHED[verify]:-} && -z ${BEGUN[decommission]:-} && -z ${BEGUN[rollback]:-} ]]; then
    note "Watch the new system for $SOAK_DAYS days; then: bash $SELF decommission" "To go back instead: bash $SELF rollback"
  elif [[ -n ${FINISHED[cutover]:-} && -z ${FINISHED[verify]:-} ]]; then
    note "Next: bash $SELF verify"
  fi
}
