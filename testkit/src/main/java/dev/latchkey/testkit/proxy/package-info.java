/**
 * A TCP fault proxy for tests: pass, delay, cut and black-hole traffic between a client and a real
 * server, and count what clients send.
 */
package dev.latchkey.testkit.proxy;
