//! Shared by the HDInsight tests: the golden scenarios.
#![allow(dead_code)]

pub const VERSIONS: [&str; 4] = ["3.6", "4.0", "5.0", "5.1"];
pub const TYPES: [&str; 5] = ["hadoop", "spark", "kafka", "hbase", "interactivehive"];

fn d(v: &str) -> String {
    v.replace('.', "")
}

/// The scenario link for a type and version pair, with typical values.
pub fn link(t: &str, from: &str, to: &str) -> String {
    let (f, n) = (d(from), d(to));
    let common = "platform=hdinsight&resource-group=data-rg&location=westeurope&vnet=data-vnet&subnet=hdi&workers=4";
    match t {
        "hbase" => format!("{common}&from={from}&to={to}&cluster-type=hbase&cluster=sales-hb-{f}&new-cluster=sales-hb-{n}&storage-account=salesdata&accelerated-writes=yes"),
        "kafka" => format!("{common}&from={from}&to={to}&cluster-type=kafka&cluster=events-kf-{f}&new-cluster=events-kf-{n}&storage-account=eventsdata"),
        other => format!("{common}&from={from}&to={to}&cluster-type={other}&cluster=etl-{other}-{f}&new-cluster=etl-{other}-{n}&storage-account=etldata&metastore=external&metastore-server=etl-sql&metastore-db=etl-hive-{f}&metastore-user=hiveadmin"),
    }
}

/// The keys of an Enterprise Security Package cluster.
pub const ESP: &str = "&esp=yes&domain=/subscriptions/0000/resourceGroups/aad-rg/providers/Microsoft.AAD/domainServices/contoso.com&cluster-admin-account=hdiadmin@contoso.com&cluster-users-group=hdiusers&assign-identity=/subscriptions/0000/resourceGroups/aad-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/hdi-msi";

/// Data Lake Storage Gen2 default storage, with its managed identity.
pub const GEN2: &str = "&storage-kind=adls-gen2&storage-identity=/subscriptions/0000/resourceGroups/data-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/hdi-storage";

/// (golden name, link) for every golden plan.
pub fn scenarios() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in TYPES {
        for (i, from) in VERSIONS.iter().enumerate() {
            for to in &VERSIONS[i + 1..] {
                out.push((format!("{t}-{from}-to-{to}"), link(t, from, to)));
            }
        }
    }
    let esp = ESP;
    let extra: [(&str, String); 22] = [
        ("kafka-4.0-to-5.1-consumer-groups", link("kafka", "4.0", "5.1") + "&group1.name=billing&group1.topics=orders,payments&group2.name=audit&group2.topics=orders"),
        ("spark-4.0-to-5.1-sized-encrypted", link("spark", "4.0", "5.1") + "&headnode-size=Standard_E8_v3&workernode-size=Standard_E16_v3&encryption-in-transit=yes&encryption-at-host=yes"),
        ("hbase-4.0-to-5.1-adls-gen2", link("hbase", "4.0", "5.1") + GEN2),
        ("spark-4.0-to-5.1-adls-gen2", link("spark", "4.0", "5.1") + GEN2),
        ("kafka-5.0-to-5.1-adls-gen2", link("kafka", "5.0", "5.1") + GEN2),
        ("kafka-4.0-to-5.1-no-vnet", link("kafka", "4.0", "5.1").replace("&vnet=data-vnet&subnet=hdi", "")),
        ("hbase-4.0-to-5.1-esp", link("hbase", "4.0", "5.1") + esp),
        ("kafka-4.0-to-5.1-esp", link("kafka", "4.0", "5.1") + esp),
        ("hbase-5.1-to-5.1-same-version", link("hbase", "5.1", "5.1").replace("new-cluster=sales-hb-51", "new-cluster=sales-hb-51b")),
        ("spark-5.1-to-4.0-downgrade", link("spark", "5.1", "4.0")),
        ("hbase-4.0-to-5.1-new-storage-account", link("hbase", "4.0", "5.1") + "&new-storage-account=salesdata51"),
        ("hbase-4.0-to-5.1-no-aw", link("hbase", "4.0", "5.1").replace("accelerated-writes=yes", "accelerated-writes=no")),
        ("hbase-4.0-to-5.1-aw-to-no-aw", link("hbase", "4.0", "5.1") + "&new-accelerated-writes=no"),
        ("hbase-3.6-to-5.1-no-aw-to-aw", link("hbase", "3.6", "5.1").replace("accelerated-writes=yes", "accelerated-writes=no&new-accelerated-writes=yes")),
        ("hbase-3.6-to-5.1-no-aw", link("hbase", "3.6", "5.1").replace("accelerated-writes=yes", "accelerated-writes=no")),
        ("hbase-3.6-to-4.0-on-2021-01-15", link("hbase", "3.6", "4.0").replace("accelerated-writes=yes", "accelerated-writes=no") + "&date=2021-01-15"),
        ("spark-4.0-to-5.0-on-2024-06-01", link("spark", "4.0", "5.0") + "&date=2024-06-01"),
        ("spark-4.0-to-5.1-default-metastore", "platform=hdinsight&from=4.0&to=5.1&cluster-type=spark&cluster=etl-spark-40&resource-group=data-rg&storage-account=etldata".to_string()),
        ("interactivehive-3.6-to-5.1-esp", link("interactivehive", "3.6", "5.1") + "&esp=yes&domain=/subscriptions/0000/resourceGroups/aad-rg/providers/Microsoft.AAD/domainServices/contoso.com&cluster-admin-account=hdiadmin@contoso.com&cluster-users-group=hdiusers&assign-identity=/subscriptions/0000/resourceGroups/aad-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/hdi-msi"),
        ("kafka-3.6-to-4.0-on-2021-01-15", link("kafka", "3.6", "4.0") + "&date=2021-01-15"),
        ("kafka-4.0-to-5.0-on-2024-06-01", link("kafka", "4.0", "5.0") + "&date=2024-06-01"),
        ("kafka-5.0-to-5.1-new-storage-account", link("kafka", "5.0", "5.1") + "&new-storage-account=eventsdata51&disks-per-node=8"),
    ];
    out.extend(extra.into_iter().map(|(n, l)| (n.to_string(), l)));
    out
}

// ------------------------------------------------------------ a fake world

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use waymark_core::plan::{Host, Plan, Value};

/// The fake `az`: logs its argv (one file per call), keeps clusters and
/// databases as files, and fails where the test says.
///
/// - `clusters/<name>` holds the state `show` reports; several words are
///   reported one per call (`Accepted InProgress Running`), the last stays.
/// - `FAKE_FAIL="hdinsight create"` (the first two or three words of the
///   call) makes that call fail, only for `--name $FAKE_FAIL_NAME` if set;
///   with `FAKE_FAIL_LEAVES=1` a failed create still leaves the cluster, in
///   the state `FAKE_FAIL_STATE` (default `Running`).
/// - `FAKE_CREATE_STATE`: what a create leaves (default `Running`).
/// - `FAKE_NOT_FOUND_RC`: with another value than 3, `show` of a missing
///   cluster fails as an expired login does (exit 1), not as
///   ResourceNotFound (exit 3).
/// - `FAKE_OLD_VNET`: the virtual network `show` reports for a cluster
///   (default none).
/// - the old cluster's definition: its version (`version`), worker count
///   (`workers`, or `FAKE_WORKERS`) and Kafka disks (`disks`), ESP
///   (`directory-type`), VM sizes (`FAKE_VM_SIZE`), a customer-managed key
///   (`FAKE_CMK`) and encryption in transit (`FAKE_IN_TRANSIT`); the other
///   settings are unset.
/// - every `@file` argument must be a readable file; its path goes to
///   `secret-files`; a metastore configuration that is valid JSON and holds
///   `$METASTORE_PASSWORD` as the connection password writes `config-ok`.
const FAKE_AZ: &str = r#"#!/usr/bin/env bash
W=$FAKE_WORLD
n=$(($(cat "$W/count" 2>/dev/null || echo 0) + 1))
echo "$n" >"$W/count"
{ echo az; printf '%s\n' "$@"; } >"$W/calls/$(printf %04d "$n")"
args=("$@") name="" query=""
for ((i = 0; i < $#; i++)); do
  case "${args[i]}" in
    --name) name=${args[i + 1]} ;;
    --dest-name) dest=${args[i + 1]} ;;
    --query) query=${args[i + 1]} ;;
  esac
done
for a in "$@"; do
  if [[ $a == @* ]]; then
    [[ -r ${a#@} && -s ${a#@} ]] || { echo "ERROR: cannot read ${a#@}" >&2; exit 2; }
    echo "${a#@}" >>"$W/secret-files"
  fi
done
cmd="$1 $2"
[[ $1 == sql ]] && cmd="sql db $3"
if [[ -n ${FAKE_FAIL:-} && $cmd == "$FAKE_FAIL" && ( -z ${FAKE_FAIL_NAME:-} || $name == "$FAKE_FAIL_NAME" ) ]]; then
  if [[ ${FAKE_FAIL_LEAVES:-} == 1 && $cmd == "hdinsight create" ]]; then echo "${FAKE_FAIL_STATE:-Running}" >"$W/clusters/$name"; fi
  echo "ERROR: (QuotaExceeded) injected failure of $cmd" >&2
  exit 1
fi
case "$cmd" in
  "account show") echo "Test subscription" ;;
  "hdinsight create")
    if [[ -e $W/clusters/$name ]]; then echo "ERROR: (Conflict) $name exists" >&2; exit 1; fi
    for ((i = 0; i < $#; i++)); do
      if [[ ${args[i]} == --cluster-configurations ]] && python3 -c 'import json, os, sys; sys.exit(json.load(open(sys.argv[1]))["hive-site"]["javax.jdo.option.ConnectionPassword"] != os.environ["METASTORE_PASSWORD"])' "${args[i + 1]#@}"; then
        echo ok >"$W/config-ok"
      fi
    done
    echo "${FAKE_CREATE_STATE:-Running}" >"$W/clusters/$name"
    echo "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.HDInsight/clusters/$name" ;;
  "hdinsight show")
    f=$W/clusters/$name
    if [[ ! -e $f && ${FAKE_NOT_FOUND_RC:-3} != 3 ]]; then echo "ERROR: Please run 'az login' to setup account." >&2; exit "$FAKE_NOT_FOUND_RC"; fi
    if [[ ! -e $f ]]; then echo "ERROR: (ResourceNotFound) The Resource 'Microsoft.HDInsight/clusters/$name' was not found." >&2; exit 3; fi
    case $query in
      properties.clusterState)
        read -r -a st <"$f"
        echo "${st[0]}"
        if ((${#st[@]} > 1)); then echo "${st[*]:1}" >"$f"; fi ;;
      id) echo "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.HDInsight/clusters/$name" ;;
      *virtualNetworkProfile*) echo "${FAKE_OLD_VNET:-}" ;;
      *hardwareProfile.vmSize*) r=${query#*name==\'}; echo "${r%%\'*}=${FAKE_VM_SIZE:-Standard_E8_V3}" ;;
      *targetInstanceCount*) echo "${FAKE_WORKERS:-$(cat "$W/workers")}" ;;
      *disksPerNode*) cat "$W/disks" ;;
      properties.clusterVersion) echo "$(cat "$W/version").3000.1" ;;
      *directoryType*) cat "$W/directory-type" 2>/dev/null ;;
      *vaultUri*) echo "${FAKE_CMK:-}" ;;
      *isEncryptionInTransitEnabled*) echo "${FAKE_IN_TRANSIT:-}" ;;
      *encryptionAtHost* | *enableComputeIsolation* | *privateLink* | *resourceProviderConnection* | *autoscale* | tags) ;;
      *) echo "$name" ;;
    esac ;;
  "hdinsight delete") rm -f "$W/clusters/$name" ;;
  "hdinsight list-usage") printf 'Name    Limit    CurrentValue\ncores   200      40\n' ;;
  "sql db show")
    if [[ ! -e $W/dbs/$name ]]; then echo "ERROR: (ResourceNotFound) database $name" >&2; exit 3; fi
    cat "$W/dbs/$name" ;;
  "sql db copy") echo Online >"$W/dbs/$dest" ;;
  "sql db delete") rm -f "$W/dbs/$name" ;;
esac
exit 0
"#;

/// The fake `ssh [-o OPTION]… -- TARGET COMMAND`: logs `--`, the target
/// and the command (its options go to `ssh-opts`, one call a line) and
/// answers the reads.
///
/// - The HBase backup's comparison prints `Backup complete: $FAKE_HBASE_SIZE`
///   (default `[120 files, 4096 bytes]`), or fails with other counts when
///   `FAKE_BACKUP_SHORT=1`.
/// - The Hive table listing prints `Hive tables: [$FAKE_TABLES]` (default
///   `42 tables, <md5>`), or other counts on the target containing
///   `$FAKE_TABLES_DIFFER_ON`.
/// - `hdfs dfs -count … | awk` prints `$FAKE_BACKUP_COUNT` (default the
///   same size): what a later check of the backup or the restore sees.
/// - `ControlPath=P` with `ControlMaster=auto` leaves a file P (the socket,
///   `%C` as `c`); `-O exit` removes it and is logged in `ssh-exits`.
/// - A command matching `$FAKE_SSH_FAIL` prints `ERROR: injected` and fails.
/// - The HBase shell's counts answer `$FAKE_REGIONS_OLD`/`_NEW` (default
///   `[52]`) and `$FAKE_ROWS_OLD`/`_NEW` (default `[orders=1200 users=80]`).
const FAKE_SSH: &str = r#"#!/usr/bin/env bash
W=$FAKE_WORLD
opts=() path="" master=""
while (($#)) && [[ $1 != -- ]]; do
  case "$1" in
    -o) opts+=("$2"); case "$2" in ControlPath=*) path=${2#ControlPath=} ;; ControlMaster=*) master=${2#ControlMaster=} ;; esac; shift ;;
    -O) if [[ $2 == exit ]]; then echo "$path" >>"$W/ssh-exits"; rm -f -- "$path"; exit 0; fi; shift ;;
  esac
  shift
done
((${#opts[@]})) && printf '%s ' "${opts[@]}" >>"$W/ssh-opts" && echo >>"$W/ssh-opts"
[[ $master == auto && -n $path ]] && : >"${path//%C/c}"
n=$(($(cat "$W/count" 2>/dev/null || echo 0) + 1))
echo "$n" >"$W/count"
{ echo ssh; printf '%s\n' "$@"; } >"$W/calls/$(printf %04d "$n")"
size=${FAKE_HBASE_SIZE:-[120 files, 4096 bytes]}
side=NEW
[[ ${2:-} == "${FAKE_OLD_HOST:-nohost}" ]] && side=OLD
if [[ -n ${FAKE_SSH_FAIL:-} && ${3:-} == *"$FAKE_SSH_FAIL"* ]]; then echo "ERROR: injected failure" >&2; exit 1; fi
case "${3:-}" in
  *"Row counts"*) v=FAKE_ROWS_$side; echo "Row counts: ${!v:-[orders=1200 users=80]}" ;;
  *'status "simple"'*) v=FAKE_REGIONS_$side; echo "Online regions: ${!v:-[52]}" ;;
  *'scan "waymark_smoke_test"'*) echo ' r1    column=f:c, timestamp=1, value=waymark' ;;
  *'list "waymark_smoke_test"'*) printf 'TABLE\n0 row(s)\n' ;;
  *"-ls /hbase"*) [[ ${FAKE_HBASE_ID:-} == 1 ]] && echo '-rw-r--r--   1 hbase supergroup  42 2026-01-01 00:00 /hbase/hbase.id' ;;
  *"Backup complete"*)
    if [[ ${FAKE_BACKUP_SHORT:-} == 1 ]]; then echo "HBase directories: $size, backup: [7 files, 100 bytes]"; exit 1; fi
    echo "HBase directories: $size, backup: $size"
    echo "Backup complete: $size" ;;
  *"dfs -count"*) echo "${FAKE_BACKUP_COUNT:-$size}" ;;
  *"hbase hbck"*) echo "${FAKE_HBCK:-Status: OK}" ;;
  *HBaseConfTool*) echo "${FAKE_WAL_DIR:-hdfs://mycluster/hbasewal}" ;;
  *"getconf -confKey fs.defaultFS"*) echo "${FAKE_DEFAULT_FS:-}" ;;
  *list_procedures* | *list_peers*) printf 'PEER_ID CLUSTER_KEY\n0 row(s)\nTook 0.0100 seconds\n' ;;
  *"Hive tables: ["*)
    if [[ -n ${FAKE_TABLES_DIFFER_ON:-} && $2 == *"$FAKE_TABLES_DIFFER_ON"* ]]; then echo "Hive tables: [41 tables, 9e107d9d372bb6826bd81d3542a419d6]"
    else echo "Hive tables: [${FAKE_TABLES:-42 tables, d41d8cd98f00b204e9800998ecf8427e}]"; fi ;;
  *"echo status"*) echo "1 active master, 1 backup masters, ${FAKE_SERVERS:-4} servers, 0 dead, 2.0000 average load" ;;
esac
exit 0
"#;

/// The fake `curl` for Ranger's REST API: logs its argv, needs a readable
/// `-K` login file, and answers
///
/// - `…/exportJson` (with `-o FILE`): three policies of the cluster's
///   `<name>_hive` and `<name>_hdfs` services;
/// - `…/importPoliciesFromFile…`: keeps the file and the services map as
///   `ranger-imported` and `ranger-map` (fails with `FAKE_RANGER_IMPORT_FAIL=1`);
/// - `…/exportJson?serviceName=…`: the imported policies, one fewer with
///   `FAKE_RANGER_MISSING=1`;
/// - `…/public/v2/api/service`: a service list, or a 401 with
///   `FAKE_RANGER_LOGIN_FAIL=1`;
/// - Ambari's `…/services/HIVE` and `…/services/HBASE`: a PUT keeps the
///   state it asks for in `ambari/<cluster>-<service>`, a read of
///   `ServiceInfo/state` reports it; with nothing put, Hive is `STARTED`
///   and HBase `$FAKE_HBASE_STATE` (default `INSTALLED`: a person stopped
///   it as the step asks).
const FAKE_CURL: &str = r#"#!/usr/bin/env bash
W=$FAKE_WORLD
n=$(($(cat "$W/count" 2>/dev/null || echo 0) + 1))
echo "$n" >"$W/count"
{ echo curl; printf '%s\n' "$@"; } >"$W/calls/$(printf %04d "$n")"
args=("$@") out="" login="" forms=()
for ((i = 0; i < $#; i++)); do
  case "${args[i]}" in
    -o) out=${args[i + 1]} ;;
    -K) login=${args[i + 1]} ;;
    -F) forms+=("${args[i + 1]}") ;;
  esac
done
url=${args[$# - 1]}
grep -q '^user = "' "$login" 2>/dev/null || { echo "curl: no login in $login" >&2; exit 2; }
host=${url#https://}
name=${host%%.azurehdinsight.net*}
case "$url" in
  *"exportJson?serviceName="*)
    if [[ ${FAKE_RANGER_MISSING:-} == 1 ]]; then jq '.policies |= .[1:]' "$W/ranger-imported"; else cat "$W/ranger-imported"; fi ;;
  *exportJson)
    printf '{"policies": [{"service": "%s_hive", "name": "sales"}, {"service": "%s_hive", "name": "hr"}, {"service": "%s_hdfs", "name": "all"}]}\n' "$name" "$name" "$name" >"$out" ;;
  */public/v2/api/service)
    [[ ${FAKE_RANGER_LOGIN_FAIL:-} == 1 ]] && { echo "curl: (22) The requested URL returned error: 401" >&2; exit 22; }
    echo '[{"name": "x_hive", "type": "hive"}]' ;;
  *importPoliciesFromFile*)
    [[ ${FAKE_RANGER_IMPORT_FAIL:-} == 1 ]] && { echo "curl: (22) The requested URL returned error: 400" >&2; exit 22; }
    for f in "${forms[@]}"; do
      v=${f#*=@}
      v=${v%%;*}
      case "$f" in
        file=*) cp "$v" "$W/ranger-imported" ;;
        servicesMapJson=*) cp "$v" "$W/ranger-map" ;;
      esac
    done ;;
  */services/HIVE* | */services/HBASE*)
    mkdir -p "$W/ambari"
    if [[ " $* " == *" PUT "* ]]; then
      body=${args[$# - 2]}
      st=${body##*\"state\": \"}
      svc=${url##*/services/}
      echo "${st%%\"*}" >"$W/ambari/$name-${svc%%\?*}"
    elif [[ $url == *fields=ServiceInfo/state ]]; then
      svc=${url##*/services/}
      svc=${svc%%\?*}
      def=STARTED
      [[ $svc == HBASE ]] && def=${FAKE_HBASE_STATE:-INSTALLED}
      printf '{"ServiceInfo": {"service_name": "%s", "state": "%s"}}\n' "$svc" "$(cat "$W/ambari/$name-$svc" 2>/dev/null || echo "$def")"
    fi ;;
  *) echo "curl: unexpected $url" >&2; exit 3 ;;
esac
exit 0
"#;

/// The fake `azcopy`: logs its argv.
const FAKE_AZCOPY: &str = r#"#!/usr/bin/env bash
W=$FAKE_WORLD
n=$(($(cat "$W/count" 2>/dev/null || echo 0) + 1))
echo "$n" >"$W/count"
{ echo azcopy; printf '%s\n' "$@"; } >"$W/calls/$(printf %04d "$n")"
echo "Final Job Status: Completed"
"#;

/// Distinctive secret values; none may show anywhere but the private directory.
pub const SECRETS: [(&str, &str); 4] = [
    ("HTTP_PASSWORD", "http-Pw-9c1e7f"),
    ("OLD_HTTP_PASSWORD", "old-http-Pw-5e2d90"),
    ("SSH_PASSWORD", "ssh-Pw-44d0ab"),
    ("METASTORE_PASSWORD", "sql-Pw-7b2a31"),
];

/// A temp dir with the fakes on PATH and one plan's script.
pub struct World {
    pub dir: PathBuf,
    pub plan: Plan,
}

static WORLDS: AtomicUsize = AtomicUsize::new(0);

fn write_tool(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

impl World {
    pub fn new(link: &str) -> World {
        let dir = std::env::temp_dir().join(format!(
            "waymark-hdi-world-{}-{}",
            std::process::id(),
            WORLDS.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["bin", "world/calls", "world/clusters", "world/dbs", "tmp"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        write_tool(&dir.join("bin/az"), FAKE_AZ);
        write_tool(&dir.join("bin/ssh"), FAKE_SSH);
        write_tool(&dir.join("bin/curl"), FAKE_CURL);
        write_tool(&dir.join("bin/azcopy"), FAKE_AZCOPY);
        let plan = waymark_core::plan_link(link).unwrap_or_else(|p| panic!("{link}: {p:?}"));
        std::fs::write(
            dir.join("runbook.sh"),
            waymark_core::render::script::render(&plan),
        )
        .unwrap();
        let world = World { dir, plan };
        world.cluster(&world.value("OLD_CLUSTER"), "Running");
        // What `az hdinsight show` reports of the old cluster's definition:
        // the link's version, and a directory when the link says ESP.
        std::fs::write(world.dir.join("world/version"), world.value("OLD_VERSION")).unwrap();
        std::fs::write(world.dir.join("world/workers"), world.value("WORKERS")).unwrap();
        if let Some(d) = world.try_value("DISKS_PER_NODE") {
            std::fs::write(world.dir.join("world/disks"), d).unwrap();
        }
        if world.try_value("DOMAIN").is_some() {
            std::fs::write(world.dir.join("world/directory-type"), "ActiveDirectory\n").unwrap();
        }
        if let Some(db) = world.try_value("METASTORE_DB") {
            std::fs::write(world.dir.join("world/dbs").join(db), "Online\n").unwrap();
        }
        world
    }

    /// A text value of the plan.
    pub fn try_value(&self, name: &str) -> Option<String> {
        self.plan
            .variables
            .iter()
            .find(|v| v.name == name)
            .and_then(|v| match &v.value {
                Value::Text(t) => Some(t.clone()),
                _ => None,
            })
    }

    pub fn value(&self, name: &str) -> String {
        self.try_value(name)
            .unwrap_or_else(|| panic!("no value {name}"))
    }

    /// Sets the state `az hdinsight show` reports for cluster `name`.
    pub fn cluster(&self, name: &str, state: &str) {
        std::fs::write(
            self.dir.join("world/clusters").join(name),
            format!("{state}\n"),
        )
        .unwrap();
    }

    /// The state of cluster `name`, if it exists.
    pub fn cluster_state(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.dir.join("world/clusters").join(name))
            .ok()
            .map(|s| s.trim().to_string())
    }

    pub fn state_file(&self) -> PathBuf {
        self.dir.join("runbook.state")
    }

    pub fn record_file(&self) -> PathBuf {
        self.dir.join("runbook.record")
    }

    /// `--done STEP` for every step a person answers in `phases`.
    pub fn people(&self, phases: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for (p, st) in self.plan.steps() {
            let by_hand = st.manual
                || !st.confirm.is_empty()
                || st
                    .commands
                    .iter()
                    .any(|c| matches!(c.host, Host::Elsewhere { .. }));
            if by_hand && phases.contains(&p.id.as_str()) {
                out.push("--done".into());
                out.push(st.id.clone());
            }
        }
        out
    }

    /// Runs the script with `args`, the fakes first on PATH, the secrets in
    /// the environment, no poll delay and `stdin` as input.
    pub fn run(&self, args: &[String], env: &[(&str, &str)], stdin: &str) -> Output {
        let path = format!(
            "{}:{}",
            self.dir.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("bash");
        cmd.arg(self.dir.join("runbook.sh"))
            .args(args)
            .current_dir(&self.dir)
            .env("PATH", path)
            .env("FAKE_WORLD", self.dir.join("world"))
            .env("TMPDIR", self.dir.join("tmp"))
            .env("WAYMARK_STATE_FILE", self.state_file())
            .env("WAYMARK_POLL_SECONDS", "0")
            .env(
                "FAKE_OLD_HOST",
                self.try_value("OLD_SSH").unwrap_or_else(|| "nohost".into()),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in SECRETS {
            cmd.env(k, v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("bash");
        {
            use std::io::Write;
            let mut input = child.stdin.take().unwrap();
            let _ = input.write_all(stdin.as_bytes());
        }
        child.wait_with_output().unwrap()
    }

    /// Every call of a fake so far: program, then its arguments.
    pub fn calls(&self) -> Vec<Vec<String>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.join("world/calls"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| {
                std::fs::read_to_string(p)
                    .unwrap()
                    .lines()
                    .map(String::from)
                    .collect()
            })
            .collect()
    }

    /// The `az` calls that start with `words` and name cluster `name`.
    pub fn az(&self, words: &[&str], name: &str) -> usize {
        self.calls()
            .iter()
            .filter(|c| {
                c[0] == "az"
                    && c.len() > words.len()
                    && c[1..=words.len()].iter().zip(words).all(|(a, b)| a == b)
                    && c.windows(2).any(|w| w[0] == "--name" && w[1] == name)
            })
            .count()
    }

    /// Files left in the run's TMPDIR (the private directory lives there).
    pub fn leftovers(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.dir.join("tmp"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect()
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Standard output and error of a run, for messages.
pub fn both(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}
