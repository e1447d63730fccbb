package org.adpo.select;

import java.io.Serializable;
import java.util.List;

/**
 * What one partition returns in a round: its best candidates (best first, with vectors) and a
 * bound on the score of every candidate it did not return ({@code -Infinity} when it returned all
 * its remaining candidates).
 */
public record PartitionTop(List<Candidate> best, double bound) implements Serializable {}
