package org.adpo.select;

import java.io.Serializable;

/** One selected candidate: its id, 1-based rank, gain log(1 + v^T H^-1 v) at pick time, and weight. */
public record Pick(long ord, Object id, long rank, double gain, double weight) implements Serializable {}
