package io.tideline.loadgen;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import io.tideline.model.EventFamily;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A plausible mix of the four demo event families: payments from accounts that each have their own spending
 * habit, logins and password changes, orders moving through fulfilment, and metric samples. Every
 * {@code anomalyEvery}-th payment is many times its account's usual amount, for the anomaly rule to catch.
 */
public final class SyntheticEvents {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] COUNTRIES = {"DE", "FR", "NL", "ES", "IT", "GB", "US", "PL"};
    private static final String[] CHANNELS = {"CARD_PRESENT", "ONLINE", "MOBILE", "TRANSFER"};
    private static final String[] ORDER_FLOW = {"CREATED", "PAID", "PACKED", "SHIPPED", "DELIVERED"};
    private static final int MERCHANTS = 50;
    /**
     * The accounts' spending habits are the same in every generator: one whose habits changed between two runs
     * against the same pipeline (a benchmark's priming and its measurement) would have every account alerting
     * for the length of the anomaly window, as its old baseline met its new amounts.
     */
    private static final long ACCOUNT_HABITS_SEED = 0x71de11e5L;
    private static final String[] METRICS = {"checkout.latency_ms", "api.requests", "queue.depth", "cpu.load"};

    private final SplittableRandom random;
    private final int accounts;
    private final double[] accountMeans;
    private final long anomalyEvery;
    private final double hotKeyShare;
    private long payments;
    private long sequence;

    /** What one generated event is, as the generator's ground truth. */
    public record Generated(ObjectNode cloudEvent, String partitionKey, boolean anomaly) {
    }

    public SyntheticEvents(long seed, int accounts, long anomalyEvery) {
        this(seed, accounts, anomalyEvery, 0);
    }

    /** @param hotKeyShare fraction of account events that go to one hot account (acct-0), on top of the skew */
    public SyntheticEvents(long seed, int accounts, long anomalyEvery, double hotKeyShare) {
        this.hotKeyShare = hotKeyShare;
        this.random = new SplittableRandom(seed);
        this.accounts = accounts;
        this.anomalyEvery = anomalyEvery;
        this.accountMeans = new double[accounts];
        SplittableRandom habits = new SplittableRandom(ACCOUNT_HABITS_SEED);
        for (int i = 0; i < accounts; i++) {
            accountMeans[i] = 20 + habits.nextDouble() * 280;
        }
    }

    public Generated next(Instant now) {
        int pick = random.nextInt(100);
        if (pick < 40) {
            return payment(now);
        }
        if (pick < 60) {
            return accountActivity(now);
        }
        if (pick < 80) {
            return orderStatus(now);
        }
        return metricSample(now);
    }

    private Generated payment(Instant now) {
        int account = skewed(accounts);
        double mean = accountMeans[account];
        boolean anomaly = anomalyEvery > 0 && ++payments % anomalyEvery == 0;
        double amount = anomaly ? mean * (20 + random.nextDouble() * 30) : Math.max(0.5, mean + gaussian() * mean * 0.15);
        ObjectNode data = NODES.objectNode()
                .put("paymentId", "pay-" + UUID.randomUUID())
                .put("account", accountId(account))
                .put("merchant", "merchant-" + random.nextInt(MERCHANTS))
                .put("amount", BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_EVEN))
                .put("currency", "EUR")
                .put("country", COUNTRIES[random.nextInt(COUNTRIES.length)])
                .put("channel", CHANNELS[random.nextInt(CHANNELS.length)]);
        return new Generated(event(EventFamily.PAYMENT, now, data), accountId(account), anomaly);
    }

    private Generated accountActivity(Instant now) {
        int account = skewed(accounts);
        String action = random.nextInt(20) == 0 ? "PASSWORD_CHANGE" : random.nextInt(10) == 0 ? "LOGIN_FAILED" : "LOGIN";
        ObjectNode data = NODES.objectNode()
                .put("account", accountId(account))
                .put("action", action)
                .put("ip", "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256))
                .put("country", COUNTRIES[random.nextInt(COUNTRIES.length)])
                .put("userAgent", "tideline-loadgen/1.0");
        return new Generated(event(EventFamily.ACCOUNT_ACTIVITY, now, data), accountId(account), false);
    }

    private Generated orderStatus(Instant now) {
        int order = random.nextInt(5000);
        int step = random.nextInt(ORDER_FLOW.length);
        ObjectNode data = NODES.objectNode()
                .put("orderId", "order-" + order)
                .put("customer", accountId(order % accounts))
                .put("status", ORDER_FLOW[step])
                .put("warehouse", "wh-" + (order % 3));
        if (step > 0) {
            data.put("previousStatus", ORDER_FLOW[step - 1]);
        }
        return new Generated(event(EventFamily.ORDER_STATUS, now, data), "order-" + order, false);
    }

    private Generated metricSample(Instant now) {
        String name = METRICS[random.nextInt(METRICS.length)];
        ObjectNode data = NODES.objectNode()
                .put("name", name)
                .put("value", BigDecimal.valueOf(Math.abs(50 + gaussian() * 15)).setScale(3, RoundingMode.HALF_EVEN))
                .put("unit", name.endsWith("_ms") ? "ms" : "1");
        data.set("tags", NODES.objectNode().put("host", "host-" + random.nextInt(4)));
        return new Generated(event(EventFamily.METRIC_SAMPLE, now, data), name, false);
    }

    private ObjectNode event(EventFamily family, Instant now, ObjectNode data) {
        ObjectNode event = NODES.objectNode()
                .put("specversion", "1.0")
                .put("id", "gen-" + Long.toHexString(random.nextLong()) + "-" + (sequence++))
                .put("source", "/tideline/loadgen")
                .put("type", family.type())
                .put("time", now.toString());
        event.set("data", data);
        return event;
    }

    /** Some accounts are far busier than others (roughly Zipf-like), as in real traffic. */
    private int skewed(int n) {
        if (hotKeyShare > 0 && random.nextDouble() < hotKeyShare) {
            return 0;
        }
        double u = random.nextDouble();
        return (int) Math.min(n - 1, Math.floor(n * u * u));
    }

    private double gaussian() {
        double u1 = Math.max(1e-12, random.nextDouble());
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * The reference data the demo definition joins onto events ({@code tideline.ref.accounts}, {@code .merchants}):
     * a home country and tier per account, a category and risk per merchant, as JSON objects by id. Fixed by the
     * seed, so every run of the demo agrees with itself.
     */
    public static Map<String, String> accountReferences(int accounts) {
        SplittableRandom r = new SplittableRandom(7);
        Map<String, String> refs = new LinkedHashMap<>();
        for (int i = 0; i < accounts; i++) {
            refs.put(accountId(i), NODES.objectNode().put("homeCountry", COUNTRIES[r.nextInt(COUNTRIES.length)])
                    .put("tier", r.nextInt(10) == 0 ? "gold" : "standard").toString());
        }
        return refs;
    }

    public static Map<String, String> merchantReferences() {
        SplittableRandom r = new SplittableRandom(11);
        String[] categories = {"grocery", "travel", "electronics", "gaming", "fuel"};
        Map<String, String> refs = new LinkedHashMap<>();
        for (int i = 0; i < MERCHANTS; i++) {
            refs.put("merchant-" + i, NODES.objectNode().put("category", categories[r.nextInt(categories.length)])
                    .put("risk", r.nextInt(8) == 0 ? "high" : "low").toString());
        }
        return refs;
    }

    private static String accountId(int i) {
        return "acct-" + i;
    }
}
