"""Timing shared by the PyTorch side of the CPU bench (as @th's side times its calls)."""
import statistics
import time


def timed(fn, reps, warmup):
    """Medians (and the fastest) of wall and process-CPU milliseconds of `reps` calls of `fn`
    after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    walls, cpus = [], []
    for _ in range(reps):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return {'wall_ms': 1e3 * statistics.median(walls), 'min_ms': 1e3 * min(walls),
            'cpu_ms': 1e3 * statistics.median(cpus), 'reps': reps}
