/**
 * The seeds' stock races (seeds 001 and 003) reproduced under jcstress: the unsynchronized
 * check-then-act and the per-call "useless local mutex" oversell; the shared mutex and the
 * conditional decrement never do.
 */
package dev.latchkey.jcstress.seeds;
