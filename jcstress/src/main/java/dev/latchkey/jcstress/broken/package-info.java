/**
 * Deliberately broken harnesses, kept to prove that the build's jcstress gate fails on a
 * {@code FORBIDDEN} outcome. The quick pass and the full pass exclude this package; select it
 * with {@code -Djcstress.tests='dev\.latchkey\.jcstress\.broken\..*' -Djcstress.minTests=1}.
 */
package dev.latchkey.jcstress.broken;
