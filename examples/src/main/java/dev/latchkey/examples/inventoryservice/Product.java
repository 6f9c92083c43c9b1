package dev.latchkey.examples.inventoryservice;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A product and its stock. The stock is an {@code AtomicInteger} only so every thread sees the
 * latest value (whatever lock backend guards it); reading it and then writing it is still two steps,
 * which is exactly the race of seed 003.
 */
final class Product {

    final String id;
    final int initialStock;
    final AtomicInteger stock;
    final AtomicInteger handedOut = new AtomicInteger();

    Product(String id, int stock) {
        this.id = id;
        this.initialStock = stock;
        this.stock = new AtomicInteger(stock);
    }
}
