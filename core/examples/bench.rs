//! Plan-generation benchmark: times planning and each renderer for a big
//! scenario (200 jobs) and a multi-hop one, printing median and p99 in ms.
//!
//! Run with `scripts/bench.sh` (release build). Figures only, no asserts.
//! `WAYMARK_BENCH_ITERS` sets the iteration count (default 200).

use std::hint::black_box;
use std::time::Instant;

use waymark_core::render::Format;
use waymark_core::Scenario;

fn jobs(n: usize) -> String {
    let mut out = String::new();
    for i in 1..=n {
        out.push_str(&format!(
            "&job{i}.id={i:032x}&job{i}.name=job-{i}&job{i}.jar=/apps/job%20{i}.jar\
             &job{i}.class=com.acme.Job{i}&job{i}.args=--env%20prod%20--id%20{i}&job{i}.parallelism=4"
        ));
    }
    out
}

fn time<T>(iters: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    for _ in 0..iters.min(10) {
        black_box(f());
    }
    let mut ms: Vec<f64> = (0..iters)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(|a, b| a.total_cmp(b));
    let median = ms[ms.len() / 2];
    let p99 = ms[((ms.len() as f64 * 0.99).ceil() as usize)
        .saturating_sub(1)
        .min(ms.len() - 1)];
    (median, p99)
}

fn main() {
    let iters: usize = std::env::var("WAYMARK_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let scenarios = [
        (
            "200 jobs, 1.17 -> 1.20 in-place",
            format!("platform=flink&from=1.17&to=1.20&strategy=in-place&uids=all&savepoint-dir=s3://b/sp{}", jobs(200)),
        ),
        (
            "200 jobs, 1.2 -> 2.0 shadow copy, CEP + Scala (multi-hop)",
            format!(
                "platform=flink&from=1.2&to=2.0&strategy=shadow-copy&uses=cep,scala-collections,table-sql&savepoint-dir=s3://b/sp{}",
                jobs(200)
            ),
        ),
        ("1 job, 1.7 -> 1.20 (multi-hop)", format!("platform=flink&from=1.7&to=1.20{}", jobs(1))),
    ];
    println!("waymark plan-generation benchmark: {iters} iterations each; median / p99 in ms");
    for (name, link) in &scenarios {
        let scenario = Scenario::from_link(link).expect("valid scenario");
        let plan = scenario.plan();
        let steps = plan.steps().count();
        println!("\n{name}: path {}, {steps} steps", plan.path.join(" -> "));
        let (m, p) = time(iters, || Scenario::from_link(link));
        println!("  parse link        {m:9.3} / {p:9.3}");
        let (m, p) = time(iters, || scenario.plan());
        println!("  plan              {m:9.3} / {p:9.3}");
        for (ext, format) in Format::ALL {
            let size = format.render(&plan).len();
            let (m, p) = time(iters, || format.render(&plan));
            println!(
                "  render {ext:<4}       {m:9.3} / {p:9.3}   ({} KiB)",
                size / 1024
            );
        }
        let (m, p) = time(iters, || {
            let plan = waymark_core::plan_link(link).expect("plans");
            Format::ALL
                .iter()
                .map(|(_, f)| f.render(&plan).len())
                .sum::<usize>()
        });
        println!("  link -> all three {m:9.3} / {p:9.3}");
    }
}
