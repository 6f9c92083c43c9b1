/**
 * The build's jcstress gate: runs jcstress and decides pass or fail from what it printed,
 * because jcstress 0.16 exits 0 even when a harness fails or no harness matched.
 */
package dev.latchkey.jcstress.gate;
