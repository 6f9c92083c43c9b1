package dev.latchkey.benchmarks.jdbc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's CPU time and context switches (all threads), from Linux's {@code /proc}: a cost that
 * other processes' load does not change, unlike wall-clock rates on a shared 2-vCPU machine.
 * Returns nothing where {@code /proc} is missing.
 */
final class ProcStats {

    /** Clock ticks per second of {@code /proc/[pid]/stat} ({@code USER_HZ}, 100 on Linux). */
    private static final double TICK_MICROS = 10_000;

    final double cpuMicros;
    final long contextSwitches;

    private ProcStats(double cpuMicros, long contextSwitches) {
        this.cpuMicros = cpuMicros;
        this.contextSwitches = contextSwitches;
    }

    static ProcStats now() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MICROS;
            long switches = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (Path task : tasks) {
                    try {
                        for (String line : Files.readAllLines(task.resolve("status"))) {
                            if (line.contains("ctxt_switches")) {
                                switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                    } catch (IOException threadEnded) {
                        // A thread that ended between the listing and the read.
                    }
                }
            }
            return new ProcStats(cpu, switches);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "cpu X us, Y context switches" per operation since {@code before}, or "" without /proc. */
    static String perOp(ProcStats before, long ops) {
        ProcStats after = now();
        if (before == null || after == null || ops == 0) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "JVM cpu %6.1f us, %4.2f context switches per pair",
                (after.cpuMicros - before.cpuMicros) / ops, (double) (after.contextSwitches - before.contextSwitches) / ops);
    }
}
