/**
 * Implementation details of the idempotency module: validation, the store engines and SQL/Lua
 * plumbing. Everything here may change without notice; do not use it from outside the module.
 */
package dev.latchkey.idempotency.internal;
