/**
 * Environment for every benchmark process (codec workers, servers, clients). glibc's malloc moves its mmap and trim
 * thresholds as a process runs, so whether a freed 1 MiB message goes back to the kernel (and
 * the next one page-faults in) depended on the process: the same build parsed 1 MiB frames at
 * 2.2 or 10.7 GB/s in consecutive processes. Fixed thresholds, the same for every library, make
 * the codec scenario (and its profiles) measure the codecs, not the allocator's mood; over sockets
 * the same held for 16 KiB and 1 MiB echoes (issue 21), so every socket process gets them too.
 */
export const STEADY_MALLOC = {
  MALLOC_MMAP_THRESHOLD_: String(64 * 1024 * 1024),
  MALLOC_TRIM_THRESHOLD_: String(1024 * 1024 * 1024),
};
