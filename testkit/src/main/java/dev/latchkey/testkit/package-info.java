/**
 * Real servers for tests and the contracts every backend passes.
 */
package dev.latchkey.testkit;
