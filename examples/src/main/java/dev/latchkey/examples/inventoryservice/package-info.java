/**
 * Seed 003: the four races of one inventory service and their fixes.
 */
package dev.latchkey.examples.inventoryservice;
