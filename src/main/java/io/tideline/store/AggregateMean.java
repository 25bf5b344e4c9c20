package io.tideline.store;

import java.math.BigDecimal;
import java.math.RoundingMode;

import io.tideline.model.WindowAggregate;

/** The mean is derived, never carried on the wire; every store rounds it the same way. */
public final class AggregateMean {

    private AggregateMean() {
    }

    public static BigDecimal of(WindowAggregate a) {
        return a.getSum() == null || a.getCount() == 0 ? null
                : a.getSum().divide(BigDecimal.valueOf(a.getCount()), 6, RoundingMode.HALF_EVEN);
    }
}
