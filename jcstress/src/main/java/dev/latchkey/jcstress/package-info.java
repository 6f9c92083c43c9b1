/**
 * jcstress harnesses that check the in-JVM primitives.
 */
package dev.latchkey.jcstress;
