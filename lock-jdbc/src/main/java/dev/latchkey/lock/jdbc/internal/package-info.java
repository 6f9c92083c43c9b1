/**
 * The JDBC lock backends and their SQL plumbing. Internal: may change without notice.
 */
package dev.latchkey.lock.jdbc.internal;
