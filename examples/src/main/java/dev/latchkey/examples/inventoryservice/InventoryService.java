package dev.latchkey.examples.inventoryservice;

import dev.latchkey.examples.Settings;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Seed 003's inventory service, in Java, with its four bugs and their fixes side by side. The
 * {@code unsafe*} methods are the seed's code; the others are the fixes.
 */
final class InventoryService {

    private final Map<String, Product> products;
    private final Settings settings;
    private final LockProvider locks;
    private final String lockPrefix;

    /**
     * @param threadSafeMap bug 1: a plain {@code HashMap} (false) or a {@code ConcurrentHashMap} (true)
     * @param locks         the lock provider the fixes use
     * @param lockPrefix    keeps this service's lock names apart from other runs
     */
    InventoryService(boolean threadSafeMap, Settings settings, LockProvider locks, String lockPrefix) {
        this.products = threadSafeMap ? new ConcurrentHashMap<>() : new HashMap<>();
        this.settings = settings;
        this.locks = locks;
        this.lockPrefix = lockPrefix;
    }

    void addProduct(String id, int stock) {
        products.put(id, new Product(id, stock));
    }

    Product product(String id) {
        return products.get(id);
    }

    /** Bug 2: check, pause, act: two buyers of the last unit both pass the check. */
    boolean unsafeReserve(String id, int quantity) throws InterruptedException {
        Product p = products.get(id);
        if (p.stock.get() < quantity) {
            return false;
        }
        settings.pauseBetweenCheckAndAct();
        p.stock.addAndGet(-quantity);
        p.handedOut.addAndGet(quantity);
        return true;
    }

    /** Fix 2: the check and the act inside one critical section, keyed by the product. */
    boolean reserve(String id, int quantity) throws InterruptedException {
        try (LockLease lease = locks.lock(lockName(id)).acquire(Duration.ofSeconds(30))) {
            lease.ensureHeld();
            return unsafeReserve(id, quantity);
        }
    }

    /** Bug 3: check every item, then take every item: the check is stale by the time of the take. */
    boolean unsafeReserveMultiple(Map<String, Integer> items) throws InterruptedException {
        for (var e : items.entrySet()) {
            if (products.get(e.getKey()).stock.get() < e.getValue()) {
                return false;
            }
        }
        settings.pauseBetweenCheckAndAct();
        for (var e : items.entrySet()) {
            Product p = products.get(e.getKey());
            p.stock.addAndGet(-e.getValue());
            p.handedOut.addAndGet(e.getValue());
        }
        return true;
    }

    /** Fix 3: every product of the bundle locked at once ({@code lockAll}: one order, all or nothing). */
    boolean reserveMultiple(Map<String, Integer> items) throws InterruptedException {
        List<String> names = new ArrayList<>();
        items.keySet().forEach(id -> names.add(lockName(id)));
        try (LockLease lease = locks.lockAll(names, locks.defaultOptions()).acquire(Duration.ofSeconds(30))) {
            lease.ensureHeld();
            return unsafeReserveMultiple(items);
        }
    }

    /** Bug 4: a mutex created inside the call: every caller locks its own, so nobody is excluded. */
    boolean unsafeSafeReserve(String id, int quantity) throws InterruptedException {
        ReentrantLock mu = new ReentrantLock();
        mu.lock();
        try {
            return unsafeReserve(id, quantity);
        } finally {
            mu.unlock();
        }
    }

    /**
     * Fix 4: a lock shared by every caller. A {@code DistributedLock} object may be created per call,
     * because its identity is its name, not the object.
     */
    boolean safeReserve(String id, int quantity) throws InterruptedException {
        return reserve(id, quantity);
    }

    private String lockName(String id) {
        return lockPrefix + "product:" + id;
    }
}
