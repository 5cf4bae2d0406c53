//! How the criterion benchmarks take their time: CPU time of the benchmark's
//! own thread (`CLOCK_THREAD_CPUTIME_ID`), not wall-clock time.
//!
//! The project machine is shared: under other jobs, wall-clock samples
//! include the time the benchmark was not even running, and their medians
//! move with the load. The thread's CPU time counts only the time the code
//! ran (what a caller pays on a core of its own); on a quiet machine the
//! two agree. What other jobs still cost, through shared caches and memory
//! bandwidth, remains and shows in the spread of the samples, which the
//! tables report. `route-bench` keeps wall-clock time, and says so.

use std::time::Duration;

use criterion::Criterion;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use rustix::time::{ClockId, clock_gettime};

use crate::smoke;

/// CPU time of the calling thread, in criterion's units (nanoseconds).
pub struct CpuTime {
    /// Only for its formatter: the values are durations like wall time's.
    wall: WallTime,
}

impl std::fmt::Debug for CpuTime {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("CpuTime")
    }
}

impl Default for CpuTime {
    fn default() -> Self {
        CpuTime { wall: WallTime }
    }
}

/// The CPU time the calling thread has used so far.
pub fn thread_cpu_time() -> Duration {
    let now = clock_gettime(ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

impl Measurement for CpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_time()
    }

    fn end(&self, started: Duration) -> Duration {
        thread_cpu_time().saturating_sub(started)
    }

    fn add(&self, first: &Duration, second: &Duration) -> Duration {
        *first + *second
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

/// The configuration every criterion benchmark uses: thread CPU time, and
/// in smoke mode ([`smoke`]) a few short samples (the answer checks stay
/// the same). Command-line options (`--measurement-time`, …) still apply.
pub fn criterion() -> Criterion<CpuTime> {
    let criterion = Criterion::default().with_measurement(CpuTime::default());
    if smoke() {
        criterion
            .warm_up_time(Duration::from_millis(20))
            .measurement_time(Duration::from_millis(50))
            .sample_size(10)
            .without_plots()
    } else {
        criterion
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
    }
}
