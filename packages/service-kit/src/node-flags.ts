/**
 * The Node flags every service process starts with, wherever it runs: `npm start` (the stack), the images
 * (infra/docker/Dockerfile, docker-compose.dev.yml: a test holds them to this list) and the benchmarks. Decision 0092.
 *
 * Left to itself V8 sizes the heap for throughput on a machine with gigabytes free: the young generation grows to
 * two 64 MB semi-spaces, and the old generation fills with promoted garbage (105 MB against 40 MB live, uncollected
 * for 17 s), so a service with 40 MB live sat at 300 MB resident under load and went up and down by 100 MB with the
 * collector's rhythm. A 16 MB semi-space and a collection once the old generation is a quarter above what was live
 * keep it near 170 MB at the same orders per second (measured in the decision).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--enable-source-maps', '--max-semi-space-size=16', '--heap-growing-percent=25'];
