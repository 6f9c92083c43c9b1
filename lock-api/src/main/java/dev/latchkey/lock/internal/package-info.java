/**
 * Implementation details of the lock API. Everything here may change without notice.
 */
package dev.latchkey.lock.internal;
