/**
 * The retry engine, metrics and clock implementations. Internal: everything here may change without notice;
 * use the types of {@code dev.latchkey.retry} instead.
 */
package dev.latchkey.retry.internal;
