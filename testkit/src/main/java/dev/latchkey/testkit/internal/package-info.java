/**
 * Process control, port probing and small wire clients used by the test kit. Internal: may change
 * without notice.
 */
package dev.latchkey.testkit.internal;
