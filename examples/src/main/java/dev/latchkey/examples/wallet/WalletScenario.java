package dev.latchkey.examples.wallet;

import dev.latchkey.examples.Backends;
import dev.latchkey.examples.Crowd;
import dev.latchkey.examples.Ledger;
import dev.latchkey.examples.Outcome;
import dev.latchkey.examples.Scenario;
import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Variant;
import dev.latchkey.lock.jdbc.JdbcLockProvider;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 004, double spending: 20 concurrent withdrawals of 10 from a balance of 100. Unguarded,
 * more than 100 is paid out. Under a JDBC ROW-mode lock with an atomic update, exactly 10 are
 * paid and 10 rejected; the atomic guarded update alone also holds.
 */
public final class WalletScenario implements Scenario {

    static final long BALANCE = 100;
    static final long AMOUNT = 10;
    static final int WITHDRAWALS = 20;

    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public String name() {
        return "wallet";
    }

    @Override
    public String title() {
        return "seed 004: " + WITHDRAWALS + " concurrent withdrawals of " + AMOUNT + " from a balance of " + BALANCE;
    }

    @Override
    public String violationLabel() {
        return "double-spent";
    }

    @Override
    public List<Variant> variants(Backends backends, Settings settings) {
        return List.of(
                Variant.broken("read balance, pay, debit", () ->
                        withdraw(backends, settings, (w, i) -> w.withdrawUnguarded(AMOUNT))),
                Variant.fixed("JDBC ROW-mode lock + atomic UPDATE", () -> {
                    String lockName = backends.scoped("wallet:" + runs.incrementAndGet());
                    JdbcLockProvider rowLocks = backends.rowLocks(); // made once, before the clients race
                    return withdraw(backends, settings,
                            (w, i) -> w.withdrawUnderRowLock(rowLocks, lockName, AMOUNT));
                }),
                Variant.fixed("atomic UPDATE ... WHERE balance >= 10 alone", () ->
                        withdraw(backends, settings, (w, i) -> w.withdrawAtomically(AMOUNT))));
    }

    @FunctionalInterface
    interface Withdrawal {
        boolean run(Wallets wallets, int client) throws Exception;
    }

    private static Outcome withdraw(Backends backends, Settings settings, Withdrawal withdrawal) throws Exception {
        try (Wallets w = new Wallets(backends.dataSource(), settings, BALANCE)) {
            List<Boolean> ok = Crowd.run(WITHDRAWALS, i -> () -> withdrawal.run(w, i));
            long rejected = ok.stream().filter(b -> !b).count();
            long paid = w.paidOut();
            long balance = w.balance();
            return new Outcome("paid " + BALANCE + ", balance 0, " + (WITHDRAWALS - BALANCE / AMOUNT) + " rejected",
                    "paid " + paid + ", balance " + balance + ", " + rejected + " rejected",
                    Ledger.violations(BALANCE, paid, balance), rejected);
        }
    }
}
