//! The plan: plain data that planners produce and renderers read.
//!
//! A plan holds a verdict, the version path, findings and phases of steps.
//! Commands are kept as words, not strings, so each renderer can quote scenario
//! values for its own medium: copy-paste text for people, variables for the
//! script. User-supplied text only ever enters a command as a [`Word::Lit`] or
//! a [`Word::Var`]; [`Word::Raw`] is reserved for fixed template text written
//! by rule authors (pipes, redirections).

use std::borrow::Cow;

use serde::Serialize;

use crate::shell;
use crate::source::Source;

/// A complete plan for one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// `flink` or `hdinsight`.
    pub platform: &'static str,
    /// A short title, such as "Flink 1.17 → 1.20, in-place".
    pub title: String,
    pub verdict: Verdict,
    /// One or two sentences: what the verdict means for this scenario.
    pub summary: String,
    /// The versions from source to target, stops included.
    pub path: Vec<String>,
    /// The date the rules' facts were last checked against their sources.
    /// When the rules were last checked against their sources; see
    /// [`FACTS_SCOPE`] for what that covers.
    pub facts_checked: &'static str,
    pub findings: Vec<Finding>,
    pub phases: Vec<Phase>,
    /// Values the commands refer to; the script declares them at the top.
    pub variables: Vec<Variable>,
    /// The canonical scenario query string that reopens this plan.
    pub link: String,
    /// Who decides, when to stop, how long each phase takes, how long to
    /// watch before the irreversible clean-up.
    pub frame: Frame,
}

/// The change-management frame around a runbook.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    /// The decision before the first step that changes production.
    pub go_no_go: String,
    /// When to stop the cutover and roll back.
    pub abort: Vec<String>,
    /// How long each phase takes, and what makes it longer.
    pub estimates: Vec<Estimate>,
    /// Days to watch the new system before decommissioning the old one.
    pub soak_days: u32,
    /// What to watch during the soak.
    pub watch: String,
    /// The value a person types to start the decommission (a variable name),
    /// and what it is ("the old cluster's name").
    pub decommission_confirm: Option<(String, String)>,
}

/// How long a phase takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub phase: PhaseId,
    /// "10–20 minutes".
    pub time: String,
    /// What makes it longer.
    pub longer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Source to target in one step.
    Direct,
    /// Through intermediate versions (see [`Plan::path`]).
    Stops,
    /// No safe path: see the blocker findings for why and what to do.
    Blocked,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Direct => "direct",
            Verdict::Stops => "stops",
            Verdict::Blocked => "blocked",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Blocker,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Blocker => "blocker",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Something the scenario's owner must know: why, what to do, and the source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable identifier, such as `flink.cep-1.2-to-1.4`.
    pub code: &'static str,
    pub title: String,
    /// Why it matters for this scenario.
    pub detail: String,
    /// What to do about it.
    pub action: String,
    pub sources: Vec<Source>,
}

/// A finding, for the rule tables of both platforms.
/// What "rules checked" covers, said wherever the date is shown: the rules
/// are what Waymark models, not a digest of every release note.
pub const FACTS_SCOPE: &str = "They cover what Waymark models, not every change in the release notes: read the notes the findings link.";

pub fn finding(
    severity: Severity,
    code: &'static str,
    title: impl Into<String>,
    detail: impl Into<String>,
    action: impl Into<String>,
    sources: &[Source],
) -> Finding {
    Finding {
        severity,
        code,
        title: title.into(),
        detail: detail.into(),
        action: action.into(),
        sources: sources.to_vec(),
    }
}

/// The phases, in the order a change runs them. Pre-flight only reads;
/// rollback runs only when asked for; decommission holds every irreversible
/// action and runs only by name, after the soak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PhaseId {
    Prepare,
    Preflight,
    Cutover,
    Verify,
    Rollback,
    Decommission,
}

impl PhaseId {
    pub fn as_str(self) -> &'static str {
        match self {
            PhaseId::Prepare => "prepare",
            PhaseId::Preflight => "preflight",
            PhaseId::Cutover => "cutover",
            PhaseId::Verify => "verify",
            PhaseId::Rollback => "rollback",
            PhaseId::Decommission => "decommission",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            PhaseId::Prepare => "Prepare",
            PhaseId::Preflight => "Pre-flight",
            PhaseId::Cutover => "Cutover",
            PhaseId::Verify => "Verify",
            PhaseId::Rollback => "Rollback",
            PhaseId::Decommission => "Decommission",
        }
    }
}

/// What a check's command must show for the check to hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expect {
    /// Exit status 0.
    Success,
    /// A non-zero exit status (a name that must be free, a port that must be closed).
    Failure,
    /// Exactly this exit status, in digits: `az` exits 3 when the resource
    /// is not found, so a name is free only then, never on an expired login
    /// or a network error.
    ExitCode(String),
    /// Standard output, trimmed, equals this text.
    Output(String),
    /// Standard output contains this text.
    Contains(String),
    /// The command succeeds and its standard output does not contain this text.
    Lacks(String),
    /// Standard output has a line matching this extended regular expression.
    Matches(String),
    /// The command succeeds and no line of its output matches this extended
    /// regular expression (no task is still being scheduled).
    LacksMatch(String),
    /// Standard output contains the value of this variable (a captured
    /// savepoint path).
    Mentions(String),
    /// The 32-hex-digit ids in standard output are exactly the values of
    /// these variables (`flink list` shows the planned jobs and no others).
    Ids(Vec<String>),
}

impl Expect {
    /// The kind's name, as the JSON document (and the script's `gate`)
    /// spell it.
    /// The text the check compares with, for the kinds that have one.
    pub fn text(&self) -> Option<&str> {
        match self {
            Expect::Success | Expect::Failure | Expect::Ids(_) => None,
            Expect::Output(t)
            | Expect::ExitCode(t)
            | Expect::Contains(t)
            | Expect::Lacks(t)
            | Expect::Matches(t)
            | Expect::LacksMatch(t)
            | Expect::Mentions(t) => Some(t),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Expect::Success => "success",
            Expect::Failure => "failure",
            Expect::ExitCode(_) => "exit-code",
            Expect::Output(_) => "output",
            Expect::Contains(_) => "contains",
            Expect::Lacks(_) => "lacks",
            Expect::Matches(_) => "matches",
            Expect::LacksMatch(_) => "lacks-match",
            Expect::Mentions(_) => "mentions",
            Expect::Ids(_) => "ids",
        }
    }
}

/// A machine check that gates the run: a read-only command and what its
/// output must show. The script retries it until it holds or `wait` seconds
/// pass, then stops, naming the step, what was expected and what was seen.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Check {
    pub command: Command,
    pub expect: Expect,
    /// What holds when the check passes, for people ("the job is RUNNING").
    pub holds: String,
    /// Seconds to keep trying; 0 checks once.
    pub wait: u32,
    /// Output that ends the wait at once as a failure (a create that ended
    /// in `Error`).
    pub fails_on: Option<String>,
}

impl Check {
    pub fn new(command: Command, expect: Expect, holds: impl Into<String>) -> Check {
        Check {
            command,
            expect,
            holds: holds.into(),
            wait: 0,
            fails_on: None,
        }
    }

    /// Keeps trying for up to `seconds`.
    pub fn waiting(mut self, seconds: u32) -> Check {
        self.wait = seconds;
        self
    }

    /// Runs only when `var` has a value (a check of something that may
    /// never have happened, such as a rollback of a job never stopped).
    pub fn only_if_set(mut self, var: impl Into<String>) -> Check {
        self.command = self.command.only_if_set(var);
        self
    }

    /// Output containing `text` fails the check at once.
    pub fn failing_on(mut self, text: impl Into<String>) -> Check {
        self.fails_on = Some(text.into());
        self
    }

    /// What the check expects, in words.
    pub fn expectation(&self) -> String {
        match &self.expect {
            Expect::Success => "the command succeeds".into(),
            Expect::Failure => "the command fails".into(),
            Expect::ExitCode(t) => format!("the command exits with status {t}"),
            Expect::Output(t) => format!("the output is {t}"),
            Expect::Contains(t) => format!("the output contains {t}"),
            Expect::Lacks(t) => format!("the output does not contain {t}"),
            Expect::Matches(t) => format!("the output matches {t}"),
            Expect::LacksMatch(t) => format!("no line of the output matches {t}"),
            Expect::Mentions(v) => format!("the output contains the value of {v}"),
            Expect::Ids(vars) => format!("the listed job ids are exactly {}", vars.join(", ")),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    pub id: PhaseId,
    pub title: String,
    /// What this phase is for, in a sentence.
    pub intro: String,
    pub steps: Vec<Step>,
}

/// A phase with its standard title; both planners' runbooks use it.
#[inline(never)]
pub fn phase(id: PhaseId, intro: String, steps: Vec<Step>) -> Phase {
    Phase {
        id,
        title: id.title().into(),
        intro,
        steps,
    }
}

/// One thing to do, with the exact commands and how to tell it worked.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Step {
    /// Stable within a plan, such as `cutover.1.stop.orders`; used for
    /// checkbox state and anchors.
    pub id: String,
    pub title: String,
    pub detail: String,
    pub commands: Vec<Command>,
    /// How to check that it worked.
    pub verify: String,
    /// What to do if it fails.
    pub rollback: String,
    /// Done by a person (in a UI, a test environment, a meeting): the script
    /// shows it and waits for confirmation instead of running anything.
    pub manual: bool,
    /// Machine checks run after the commands; a check that does not hold
    /// stops the run.
    pub checks: Vec<Check>,
    /// A check only a person can make, asked as a question after the
    /// commands and checks ("the output matches production").
    pub confirm: String,
    pub sources: Vec<Source>,
    /// Files shown with the step (a Kubernetes manifest): Markdown shows
    /// each as a fenced block, JSON carries it, and the script writes it
    /// before the step's commands (or shows it as comments).
    pub documents: Vec<Document>,
}

/// A file a step shows or writes, such as a manifest for `kubectl apply`.
/// Its text holds the plan's values already filled in; the planner puts
/// only validated values into it (Kubernetes names, image references,
/// YAML-quoted strings), never a line a heredoc could end on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Document {
    /// The file's name, such as `orders-snapshot.yaml`.
    pub name: String,
    /// The fence language: `yaml`.
    pub lang: &'static str,
    pub text: String,
    /// Written by the script into its private directory (`$SECRET_DIR/<name>`)
    /// before the step's commands, which use it; otherwise only shown.
    pub written: bool,
}

impl Document {
    /// The path the script writes a written document to.
    pub fn path(&self) -> Word {
        Word::Join(vec![var("SECRET_DIR"), lit(format!("/{}", self.name))])
    }
}

/// Builds a [`Step`] one field at a time; both planners' runbooks use it.
/// The step is boxed so that each chained call moves a pointer rather than
/// the whole step (much less code in the wasm).
pub struct StepBuilder {
    step: Box<Step>,
}

/// Starts a step with its id, title and detail.
#[inline(never)]
pub fn step(id: String, title: String, detail: String) -> StepBuilder {
    StepBuilder {
        step: Box::new(Step {
            id,
            title,
            detail,
            commands: Vec::new(),
            verify: String::new(),
            rollback: String::new(),
            manual: false,
            checks: Vec::new(),
            confirm: String::new(),
            sources: Vec::new(),
            documents: Vec::new(),
        }),
    }
}

impl StepBuilder {
    #[inline(never)]
    pub fn detail(mut self, text: String) -> Self {
        self.step.detail = text;
        self
    }
    #[inline(never)]
    pub fn cmd(mut self, c: Command) -> Self {
        self.step.commands.push(c);
        self
    }
    #[inline(never)]
    pub fn cmds(mut self, c: Vec<Command>) -> Self {
        self.step.commands.extend(c);
        self
    }
    #[inline(never)]
    pub fn verify(mut self, text: impl Into<String>) -> Self {
        self.step.verify = text.into();
        self
    }
    #[inline(never)]
    pub fn rollback(mut self, text: impl Into<String>) -> Self {
        self.step.rollback = text.into();
        self
    }
    #[inline(never)]
    pub fn manual(mut self) -> Self {
        self.step.manual = true;
        self
    }
    #[inline(never)]
    pub fn check(mut self, c: Check) -> Self {
        self.step.checks.push(c);
        self
    }
    /// A question a person answers after the commands and checks.
    #[inline(never)]
    pub fn confirm(mut self, text: impl Into<String>) -> Self {
        self.step.confirm = text.into();
        self
    }
    #[inline(never)]
    pub fn source(mut self, s: Source) -> Self {
        self.step.sources.push(s);
        self
    }
    /// A file shown with the step (see [`Document`]).
    #[inline(never)]
    pub fn document(mut self, d: Document) -> Self {
        self.step.documents.push(d);
        self
    }
    #[inline(never)]
    pub fn done(self) -> Step {
        *self.step
    }
}

/// Where a command runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    /// The machine running the runbook or script.
    Local,
    /// Over SSH: the variable holding `user@host`, and a description.
    Ssh { target: String, description: String },
    /// A host the script cannot reach by itself (a ZooKeeper node behind a
    /// head node, a SQL console): printed for a person to run.
    Elsewhere { description: String },
}

/// The text of a word: borrowed when it is rule text (most words are), owned
/// when it carries a value from the scenario, so building a plan does not
/// allocate for every fixed word.
pub type Text = Cow<'static, str>;

/// A literal word.
#[inline(never)]
pub fn lit(s: impl Into<Text>) -> Word {
    Word::Lit(s.into())
}

/// A scalar variable's word.
#[inline(never)]
pub fn var(s: impl Into<Text>) -> Word {
    Word::Var(s.into())
}

/// A piece of a command line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Word {
    /// Literal text, quoted as needed.
    Lit(Text),
    /// A scalar variable from [`Plan::variables`] or a captured value.
    Var(Text),
    /// An array variable, expanded to one word per element.
    Array(Text),
    /// A word glued from parts, such as `--name=$X` or `$DIR/bin/flink`.
    Join(Vec<Word>),
    /// Fixed shell syntax from rule authors (`|`, `>`, `2>&1`). Never user text.
    Raw(&'static str),
}

/// How a value printed by a command feeds later steps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Capture {
    /// The variable that receives the value.
    pub var: String,
    /// Text that precedes the value on the line that carries it; the value is
    /// the rest of the last such line, trimmed.
    pub after: &'static str,
    /// What the value is, for people ("the savepoint path of orders").
    pub what: String,
    /// Text that ends the value on its line, when something follows it
    /// (a closing quote in JSON).
    pub until: Option<&'static str>,
}

/// One command line.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Command {
    pub words: Vec<Word>,
    pub host: Host,
    pub capture: Option<Capture>,
    /// Run only when this (captured) variable has a value; skip otherwise.
    pub only_if_set: Option<String>,
    /// A failure is reported and the script goes on (clean-up commands).
    pub may_fail: bool,
    /// Cannot be undone (deleting a cluster, a container, savepoints): allowed
    /// only in the decommission phase.
    pub irreversible: bool,
    /// For a capture: a read-only command that finds the value when this
    /// command ran but its client gave up before printing it (a stop with
    /// savepoint that outlives the CLI's timeout).
    pub recover: Option<Box<Command>>,
    /// Prepares something that lives for one run only (a file in the
    /// script's private directory): runs on every run that reaches it and is
    /// never recorded as done, unlike commands that change the world.
    pub each_run: bool,
}

impl Command {
    pub fn local(words: Vec<Word>) -> Self {
        Command::on(Host::Local, words)
    }

    pub fn on(host: Host, words: Vec<Word>) -> Self {
        Command {
            words,
            host,
            capture: None,
            only_if_set: None,
            may_fail: false,
            irreversible: false,
            recover: None,
            each_run: false,
        }
    }

    /// Marks the command as one that prepares this run only (see
    /// [`Command::each_run`]).
    pub fn each_run(mut self) -> Self {
        self.each_run = true;
        self
    }

    /// Marks the command as one that cannot be undone.
    pub fn irreversible(mut self) -> Self {
        self.irreversible = true;
        self
    }

    /// A read-only command that recovers this capture's value.
    pub fn recovering_with(mut self, read: Command) -> Self {
        self.recover = Some(Box::new(read));
        self
    }

    pub fn capturing(
        mut self,
        var: impl Into<String>,
        after: &'static str,
        what: impl Into<String>,
    ) -> Self {
        self.capture = Some(Capture {
            var: var.into(),
            after,
            what: what.into(),
            until: None,
        });
        self
    }

    /// The captured value ends before `until` on its line.
    pub fn until(mut self, until: &'static str) -> Self {
        if let Some(c) = &mut self.capture {
            c.until = Some(until);
        }
        self
    }

    /// Runs only when `var` has a value.
    pub fn only_if_set(mut self, var: impl Into<String>) -> Self {
        self.only_if_set = Some(var.into());
        self
    }

    /// Lets the script go on when this command fails.
    pub fn may_fail(mut self) -> Self {
        self.may_fail = true;
        self
    }

    /// Does any word use shell syntax (a pipe, a redirection)?
    pub fn has_raw(&self) -> bool {
        fn raw(w: &Word) -> bool {
            match w {
                Word::Raw(_) => true,
                Word::Join(parts) => parts.iter().any(raw),
                _ => false,
            }
        }
        self.words.iter().any(raw)
    }

    /// The command as a person types it: scenario values filled in and
    /// quoted, captured values as `"$NAME"`.
    pub fn display(&self, vars: &[Variable]) -> String {
        shell::render_words(&self.words, &|name| lookup_display(vars, name))
    }
}

/// How a variable is shown in copy-paste text.
fn lookup_display<'a>(vars: &'a [Variable], name: &str) -> shell::Expansion<'a> {
    expansion(vars.iter().find(|v| v.name == name).map(|v| &v.value))
}

fn expansion(value: Option<&Value>) -> shell::Expansion<'_> {
    match value {
        Some(Value::Text(text)) => shell::Expansion::Text(text),
        Some(Value::List(items)) => shell::Expansion::List(items),
        // Secrets and captured values stay references: never printed.
        _ => shell::Expansion::Reference,
    }
}

/// The plan's variables by name, for rendering many commands.
pub struct VarIndex<'a> {
    values: std::collections::BTreeMap<&'a str, &'a Value>,
}

impl VarIndex<'_> {
    /// Feeds `h` the values of the variables that `words` name: with the
    /// words themselves, all that [`Command::display_in`] reads.
    pub fn hash_values<H: std::hash::Hasher>(&self, words: &[Word], h: &mut H) {
        use std::hash::Hash;
        for w in words {
            match w {
                Word::Var(name) | Word::Array(name) => {
                    self.values.get(&**name).hash(h);
                }
                Word::Join(parts) => self.hash_values(parts, h),
                Word::Lit(_) | Word::Raw(_) => {}
            }
        }
    }
}

impl Command {
    /// What a person needs besides the command line: when it is skipped and
    /// which value to note from its output. `code` marks a variable name
    /// (backticks in Markdown, plain text on a page).
    pub fn notes(&self, code: &dyn Fn(&str) -> String) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(var) = &self.only_if_set {
            out.push(format!(
                "Only if {} is known; skip it otherwise.",
                code(var)
            ));
        }
        if let Some(c) = &self.capture {
            out.push(format!(
                "Note {} as {}: the rest of the line after \"{}\" in the output, without a closing period.",
                c.what,
                code(&c.var),
                c.after.trim()
            ));
        }
        out
    }

    /// [`Command::display`] with a prebuilt index.
    pub fn display_in(&self, index: &VarIndex<'_>) -> String {
        let mut out = String::new();
        self.push_display_in(&mut out, index);
        out
    }

    /// [`Command::display_in`], appended to `out`.
    pub fn push_display_in(&self, out: &mut String, index: &VarIndex<'_>) {
        shell::push_words(out, &self.words, &|name| {
            expansion(index.values.get(name).copied())
        });
    }

    /// [`Command::display_in`] broken into lines of about `width`
    /// characters for paper (see [`shell::render_lines`]).
    pub fn display_lines_in(&self, index: &VarIndex<'_>, width: usize) -> Vec<String> {
        shell::render_lines(
            &self.words,
            &|name| expansion(index.values.get(name).copied()),
            width,
        )
    }
}

/// A named value the commands use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variable {
    /// A shell variable name: `[A-Z][A-Z0-9_]*`.
    pub name: String,
    pub description: String,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Hash)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum Value {
    Text(String),
    List(Vec<String>),
    /// Never stored: the script reads it from the environment variable of the
    /// same name, or prompts for it without echo.
    Secret,
    /// Set while the script runs, by a [`Capture`].
    Captured,
}

/// Orders findings blockers first, then warnings, then infos, keeping the
/// order within each severity (a stable sort). Finding lists are short; this
/// one small loop replaces a standard-library sort per call site in the wasm.
pub(crate) fn sort_by_severity(findings: &mut [Finding]) {
    for i in 1..findings.len() {
        let mut j = i;
        while j > 0 && findings[j - 1].severity > findings[j].severity {
            findings.swap(j - 1, j);
            j -= 1;
        }
    }
}

impl Plan {
    /// Every step of every phase, in order.
    pub fn steps(&self) -> impl Iterator<Item = (&Phase, &Step)> {
        self.phases
            .iter()
            .flat_map(|p| p.steps.iter().map(move |s| (p, s)))
    }

    pub fn blockers(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Blocker)
    }

    /// An index of the variables, for rendering many commands.
    pub fn var_index(&self) -> VarIndex<'_> {
        // Inserted one by one (a later duplicate wins, as with collect):
        // collecting into a map would sort, and pull a sort into the wasm.
        let mut values = std::collections::BTreeMap::new();
        for v in &self.variables {
            values.insert(v.name.as_str(), &v.value);
        }
        VarIndex { values }
    }

    /// The command as shown to people for this plan.
    pub fn show(&self, command: &Command) -> String {
        command.display(&self.variables)
    }
}
