//! This process's memory, from `/proc/self/status` (Linux; `None` elsewhere).
//!
//! The kernel gives both figures in kB, which are KiB: divided by 1024 they are MiB (the
//! benchmarks print them as "MB").

/// Resident memory now (`VmRSS`), MiB.
pub fn rss_mib() -> Option<f64> {
    status_kib("VmRSS:").map(|kib| kib / 1024.0)
}

/// The most resident memory the process has had (`VmHWM`, its high-water mark), MiB.
pub fn peak_rss_mib() -> Option<f64> {
    status_kib("VmHWM:").map(|kib| kib / 1024.0)
}

fn status_kib(field: &str) -> Option<f64> {
    parse_kib(&std::fs::read_to_string("/proc/self/status").ok()?, field)
}

/// The number on `field`'s line of a `/proc/<pid>/status` text (`VmRSS:\t  12345 kB`).
fn parse_kib(status: &str, field: &str) -> Option<f64> {
    status.lines().find_map(|l| l.strip_prefix(field))?.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fields_of_a_status_text() {
        let status = "Name:\tcampfire\nVmPeak:\t  900 kB\nVmHWM:\t    2048 kB\nVmRSS:\t    1536 kB\n";
        assert_eq!(parse_kib(status, "VmRSS:"), Some(1536.0));
        assert_eq!(parse_kib(status, "VmHWM:"), Some(2048.0));
        assert_eq!(parse_kib(status, "VmSwap:"), None);
        assert_eq!(parse_kib("VmRSS:\tlots kB\n", "VmRSS:"), None);
    }

    #[test]
    fn this_process_has_memory_where_proc_is() {
        if !std::path::Path::new("/proc/self/status").exists() {
            assert_eq!(rss_mib(), None);
            return;
        }
        let (now, peak) = (rss_mib().expect("VmRSS"), peak_rss_mib().expect("VmHWM"));
        assert!(now > 0.0 && peak >= now, "rss {now} MiB, peak {peak} MiB");
    }
}
