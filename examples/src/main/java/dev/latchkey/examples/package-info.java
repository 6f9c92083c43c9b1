/**
 * The seeds' races reproduced, and fixed with Latchkey.
 */
package dev.latchkey.examples;
